"""Samba's `ntlm_auth --helper-protocol=squid-2.5-ntlmssp`, as Dovecot's NTLM
mechanism drives it (`auth_use_winbind = yes`, `auth_winbind_helper_path`), with
pyspnego's NTLM acceptor in place of winbindd and a domain controller.

    python ntlm_auth.py USERS CERT --helper-protocol=squid-2.5-ntlmssp

USERS holds `DOMAIN:USER:PASSWORD` lines (pyspnego's NTLM_USER_FILE). CERT is
the certificate Dovecot's TLS shows: a client's channel binding must be its
`tls-server-end-point` (RFC 5929), or all zeros on a connection without TLS
(the helper cannot see which connection it serves).

The protocol, one line each way: `YR <base64>` starts an exchange with the
client's NEGOTIATE, `KK <base64>` goes on with its AUTHENTICATE; the answers
are `TT <base64>` (the CHALLENGE), `AF DOMAIN\\user` (signed in), `NA <reason>`
(refused) and `BH <reason>` (the helper cannot go on).

Dovecot keeps one helper for all its logins and the protocol names none of
them, so a second login's YR may come between the first one's TT and KK. An
AUTHENTICATE is therefore tried against every exchange still waiting (newest
first; a refusal leaves an exchange as it was), and the one it answers is done.
"""

import base64
import binascii
import hashlib
import os
import ssl
import sys


def bindings_of(cert_path):
    from spnego.channel_bindings import GssChannelBindings

    with open(cert_path, encoding="ascii") as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    # The test authority signs with ECDSA over SHA-256: the hash is SHA-256.
    return GssChannelBindings(application_data=b"tls-server-end-point:" + hashlib.sha256(der).digest())


def answer(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main():
    if len(sys.argv) != 4 or sys.argv[3] != "--helper-protocol=squid-2.5-ntlmssp":
        sys.exit("usage: ntlm_auth.py USERS CERT --helper-protocol=squid-2.5-ntlmssp")
    users, cert = sys.argv[1], sys.argv[2]
    os.environ["NTLM_USER_FILE"] = users
    import spnego

    bindings = bindings_of(cert)
    # Exchanges sent a CHALLENGE and not yet answered, oldest first.
    waiting = []
    for line in sys.stdin:
        verb, _, blob = line.strip().partition(" ")
        try:
            token = base64.b64decode(blob, validate=True)
        except (binascii.Error, ValueError):
            answer("BH bad base64")
            continue
        if verb == "YR":
            acceptor = spnego.server(protocol="ntlm", channel_bindings=bindings)
            try:
                challenge = acceptor.step(token)
            except Exception as error:  # pyspnego's own error family
                print(f"ntlm_auth: NEGOTIATE refused: {error}", file=sys.stderr, flush=True)
                answer("NA NT_STATUS_INVALID_PARAMETER")
                continue
            waiting = waiting[-31:] + [acceptor]
            answer("TT " + base64.b64encode(challenge).decode())
        elif verb == "KK":
            errors = []
            for acceptor in reversed(waiting):
                # A refused AUTHENTICATE leaves pyspnego's acceptor as it was.
                try:
                    acceptor.step(token)
                    if acceptor.complete:
                        waiting.remove(acceptor)
                        answer("AF " + acceptor.client_principal)
                        break
                    errors.append("the exchange did not complete")
                except Exception as error:
                    errors.append(str(error))
            else:
                # Refused by every waiting exchange; the newest one's error is logged.
                print(f"ntlm_auth: AUTHENTICATE refused: {errors[:1]}", file=sys.stderr, flush=True)
                answer("NA NT_STATUS_WRONG_PASSWORD")
        else:
            answer("BH unexpected " + verb)

if __name__ == "__main__":
    main()
