"""The real SMTP server the tests check against: aiosmtpd 1.4.6.

Usage: smtp_peer.py --mode none|starttls|tls --store DIR [--cert PEM --key PEM]
                    [--user NAME --password SECRET] [--pipelining]
                    [--without-auth MECH,...] [--smtputf8] [--without-8bitmime]
                    [--refuse-while FILE] [--oauth-introspect URL]
                    [--ntlm USERS] [--ntlm-garbage] [--password-refusal REPLY]

Listens on 127.0.0.1 on an ephemeral port and prints `PORT <n>` on stdout once it
accepts connections. Offers AUTH PLAIN, LOGIN and CRAM-MD5 (the last one a handler
method, as aiosmtpd's documentation suggests for extra mechanisms). Every received
message is written as JSON (mail_from, mail_options, rcpt_tos, content, login)
into DIR. With --refuse-while FILE, every RCPT TO is answered with FILE's
contents (e.g. `451 4.3.0 Try again later`) while FILE exists. With
--oauth-introspect URL it also offers XOAUTH2 and OAUTHBEARER and accepts a
bearer token only when the authorization server's introspection endpoint (RFC
7662, as client `smtp-peer` with the secret in OIDC_PEER_SECRET) says it is
active; the login recorded is the user the client named. With --ntlm USERS it
offers NTLM, checked by pyspnego's NTLM acceptor (NTLMv2 with MIC, and channel
binding to this server's certificate over TLS) against USERS, lines
`DOMAIN:USER:PASSWORD`; with --ntlm-garbage its CHALLENGE is malformed.
With --password-refusal REPLY, every PLAIN and LOGIN is answered with REPLY (a
provider's "534 5.7.9 Application-specific password required", say).
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import logging
import os
import socket
import ssl
import sys
import time
import urllib.parse
import urllib.request
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

# aiosmtpd itself still sets the deprecated Session.login_data.
warnings.simplefilter("ignore")
# Handshakes the tests break on purpose (refused certificates) are not news.
logging.getLogger("mail.log").setLevel(logging.CRITICAL)


class Handler:
    def __init__(self, store, user, password, pipelining=False, eight_bit=True, refuse_while=None):
        self.refuse_while = refuse_while
        self.pipelining = pipelining
        self.eight_bit = eight_bit
        self.store = store
        self.user = user.encode()
        self.password = password.encode()
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_while and os.path.exists(self.refuse_while):
            with open(self.refuse_while, encoding="utf-8") as f:
                return f.read().strip() or "451 4.3.0 Try again later"
        # What aiosmtpd does without this hook.
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "mail_options": envelope.mail_options,
            "rcpt_tos": envelope.rcpt_tos,
            "content": envelope.content.decode("utf-8", "replace"),
            "login": (getattr(session.auth_data, "login", None) or b"").decode("utf-8", "replace"),
        }
        name = os.path.join(self.store, f"{time.time_ns()}-{self.count}.json")
        with open(name + ".part", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(name + ".part", name)
        return "250 2.0.0 Message accepted for delivery"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        # aiosmtpd reads commands one by one, so pipelined commands just work;
        # it only does not say so.
        session.host_name = hostname
        if self.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        if not self.eight_bit:
            # An old server: no 8BITMIME (aiosmtpd then still takes the bytes,
            # so the test sees whether the client re-encoded them).
            responses = [r for r in responses if r[4:].upper() != "8BITMIME"]
        return responses

    introspect = None

    def token_active(self, token):
        secret = os.environ.get("OIDC_PEER_SECRET", "smtp-peer-secret")
        request = urllib.request.Request(
            self.introspect,
            data=urllib.parse.urlencode({"token": token}).encode(),
            headers={
                "Authorization": "Basic "
                + base64.b64encode(f"smtp-peer:{secret}".encode()).decode(),
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response).get("active") is True

    async def bearer(self, server, args, parse, rfc7628=False):
        if len(args) < 2:
            return AuthResult(success=False, handled=False)
        try:
            user, token = parse(base64.b64decode(args[1]).decode())
            loop = asyncio.get_running_loop()
            ok = bool(token) and await loop.run_in_executor(None, self.token_active, token)
        except Exception:
            ok, user = False, ""
        if not ok and rfc7628:
            # RFC 7628 §3.2.2: the error as a challenge; the client must answer
            # with %x01 before the server ends the exchange.
            error = json.dumps({"status": "invalid_token", "scope": "openid"}).encode()
            response = await server.challenge_auth(error)
            if response != b"\x01":
                return AuthResult(success=False, handled=False, message="501 5.5.2 expected %x01")
        return AuthResult(success=ok, handled=False, auth_data=LoginPassword(user.encode(), b""))

    async def auth_XOAUTH2(self, server, args):
        def parse(text):
            fields = dict(f.split("=", 1) for f in text.split("\x01") if "=" in f)
            return fields.get("user", ""), fields.get("auth", "").removeprefix("Bearer ")
        return await self.bearer(server, args, parse)

    async def auth_OAUTHBEARER(self, server, args):
        def parse(text):
            head, _, rest = text.partition("\x01")
            user = next((p[2:] for p in head.split(",") if p.startswith("a=")), "")
            fields = dict(f.split("=", 1) for f in rest.split("\x01") if "=" in f)
            return user, fields.get("auth", "").removeprefix("Bearer ")
        return await self.bearer(server, args, parse, rfc7628=True)

    ntlm_users = None
    ntlm_garbage = False
    cert = None

    async def auth_NTLM(self, server, args):
        # Imported here: only the NTLM tests need pyspnego in the venv.
        import spnego
        from spnego.channel_bindings import GssChannelBindings

        if len(args) < 2 or not self.ntlm_users:
            return AuthResult(success=False, handled=False)
        try:
            negotiate = base64.b64decode(args[1], validate=True)
        except ValueError:
            return AuthResult(success=False, handled=False)
        if self.ntlm_garbage:
            # A CHALLENGE whose target information points far outside it.
            garbage = b"NTLMSSP\x00\x02\x00\x00\x00" + bytes(28) + b"\x10\x00\x10\x00\xf0\xff\xff\xff"
            await server.challenge_auth(garbage)
            return AuthResult(success=False, handled=False)
        bindings = None
        if server.session.ssl is not None and self.cert:
            with open(self.cert, encoding="ascii") as f:
                der = ssl.PEM_cert_to_DER_cert(f.read())
            bindings = GssChannelBindings(
                application_data=b"tls-server-end-point:" + hashlib.sha256(der).digest()
            )
        os.environ["NTLM_USER_FILE"] = self.ntlm_users
        acceptor = spnego.server(protocol="ntlm", channel_bindings=bindings)
        challenge = acceptor.step(negotiate)
        response = await server.challenge_auth(challenge)
        if not isinstance(response, bytes):
            return AuthResult(success=False, handled=False)
        try:
            acceptor.step(response)
            ok = acceptor.complete
            user = acceptor.client_principal or ""
        except Exception as error:  # pyspnego raises its own SpnegoError family
            print(f"NTLM refused: {error}", file=sys.stderr, flush=True)
            ok, user = False, ""
        return AuthResult(success=ok, handled=False, auth_data=LoginPassword(user.encode(), b""))

    async def auth_CRAM__MD5(self, server, args):
        challenge = f"<{time.time_ns()}.{os.getpid()}@outbound-test>".encode()
        response = await server.challenge_auth(challenge)
        if not isinstance(response, bytes):
            return AuthResult(success=False, handled=False)
        login, _, digest = response.rpartition(b" ")
        expected = hmac.new(self.password, challenge, hashlib.md5).hexdigest().encode()
        ok = login == self.user and hmac.compare_digest(digest, expected)
        return AuthResult(success=ok, handled=False, auth_data=LoginPassword(login, b""))


def authenticator_for(user, password, refusal=None):
    def authenticator(server, session, envelope, mechanism, auth_data):
        if refusal and mechanism in ("PLAIN", "LOGIN"):
            return AuthResult(success=False, handled=False, message=refusal)
        if isinstance(auth_data, LoginPassword) and mechanism in ("PLAIN", "LOGIN"):
            ok = auth_data.login == user.encode() and auth_data.password == password.encode()
            if ok:
                return AuthResult(success=True, auth_data=auth_data)
        # handled=False: aiosmtpd answers "535 5.7.8 Authentication credentials invalid".
        return AuthResult(success=False, handled=False)

    return authenticator


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["none", "starttls", "tls"], default="none")
    parser.add_argument("--store", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user", default="tester")
    parser.add_argument("--password", default="secret")
    parser.add_argument("--pipelining", action="store_true", help="advertise PIPELINING")
    parser.add_argument(
        "--without-auth", default="", help="mechanisms not to offer, e.g. CRAM-MD5"
    )
    parser.add_argument(
        "--smtputf8", action="store_true", help="offer SMTPUTF8 (RFC 6531)"
    )
    parser.add_argument(
        "--without-8bitmime", action="store_true", help="do not offer 8BITMIME (RFC 6152)"
    )
    parser.add_argument(
        "--oauth-introspect", help="offer XOAUTH2/OAUTHBEARER, tokens checked at this URL"
    )
    parser.add_argument(
        "--refuse-while", help="answer RCPT TO with this file's contents while it exists"
    )
    parser.add_argument("--ntlm", help="offer NTLM for the DOMAIN:USER:PASSWORD lines of this file")
    parser.add_argument("--password-refusal", help="answer PLAIN and LOGIN with this reply")
    parser.add_argument("--ntlm-garbage", action="store_true", help="answer AUTH NTLM with a bad CHALLENGE")
    args = parser.parse_args()

    context = None
    if args.mode != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    handler = Handler(
        args.store,
        args.user,
        args.password,
        args.pipelining,
        not args.without_8bitmime,
        args.refuse_while,
    )
    handler.introspect = args.oauth_introspect
    handler.ntlm_users = args.ntlm
    handler.ntlm_garbage = args.ntlm_garbage
    handler.cert = args.cert
    excluded = [m for m in args.without_auth.split(",") if m]
    if not args.ntlm:
        excluded.append("NTLM")
    if not args.oauth_introspect:
        excluded += ["XOAUTH2", "OAUTHBEARER"]

    def factory():
        return SMTP(
            handler,
            hostname="peer.test",
            tls_context=context if args.mode == "starttls" else None,
            require_starttls=False,
            authenticator=authenticator_for(args.user, args.password, args.password_refusal),
            auth_require_tls=False,
            auth_exclude_mechanism=excluded,
            enable_SMTPUTF8=args.smtputf8,
        )

    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted connections only
    # when the protocol is given, and Nagle would hold back multi-line replies.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        factory, sock=sock, ssl=context if args.mode == "tls" else None
    )
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    # Stop when the test (our parent) closes our stdin.
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
