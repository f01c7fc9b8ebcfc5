## Application
app-title = Outbound — outgoing mail settings
window-failed = The window could not be opened: { $reason }
profiles-heading = Profiles
profiles-loading = Loading profiles…
scope-user = user
scope-system = system
scope-read-only = read-only
profile-disabled = disabled
password-saved = password saved in the keyring
password-not-saved = no password saved

## Validation: each message follows the field's name
invalid-name-empty = a name is required
invalid-name-chars = only Latin letters, digits and _ are allowed
invalid-mailbox = “{ $value }” is not a valid e-mail address
invalid-line-break = line breaks are not allowed here
invalid-required = this field is required
invalid-host = “{ $value }” is not a host name or IP address
invalid-port = the port must be a number from 1 to 65535
invalid-timeout = the timeout must be from 1 to 300 seconds
invalid-args = the arguments cannot be split: { $reason }
invalid-no-recipients = a test message needs at least one recipient
host-normalised = “{ $pasted }” was understood as host { $host }, port { $port }, security { $security }

## Files
doc-syntax = line { $line }, column { $column }: { $message }
doc-syntax-field = line { $line }, column { $column }, field “{ $field }”: { $message }
doc-missing-format = the file has no “format” line, so it is not an Outbound file
doc-newer-format = the file has format { $found }, written by a newer Outbound; this version reads format { $supported }
doc-bad-format = “format” must be a whole number
store-no-home = no home folder is known for this user, so there is nowhere to keep settings
store-io = { $path }: { $reason }
store-name-mismatch = { $path }: the profile inside is named “{ $inner }” but the file “{ $file }”; rename one to match
store-not-found = no profile is named “{ $name }”
store-read-only = “{ $name }” is a system profile and is read-only
store-exists = a profile named “{ $name }” exists already

## Import and export
import-invalid = { $file }, line { $line }, profile “{ $profile }”: { $problem }. Nothing was imported.
import-duplicate = { $file }, line { $line }: profile “{ $name }” appears twice in the file. Nothing was imported.
import-conflicts = These profiles exist already: { $names }. Nothing was imported; choose --on-conflict skip, replace or rename.
import-added = added { $name }
import-replaced = replaced { $name }
import-renamed = imported { $from } as { $to }
import-skipped = skipped { $name }, which exists already

## Keyring
keyring-unavailable = The keyring is unavailable: { $reason }
keyring-denied = The keyring refused access (is it locked?): { $reason }
keyring-timeout = The keyring did not answer within { $seconds } s
keyring-failed = The keyring reported an error: { $reason }

## Command line
cli-no-runtime = Cannot start: { $reason }
cli-no-profiles = No profiles yet.
cli-skipped-file = Not loaded: { $reason }
cli-exported = { $count ->
    [one] Exported one profile to { $file }
   *[other] Exported { $count } profiles to { $file }
}
cli-deleted = Deleted profile { $name }
cli-password-saved = Password of { $name } saved in the keyring
cli-password-cleared = Password of { $name } removed from the keyring
cli-password-left = The password could not be removed from the keyring: { $reason }
cli-password-env-missing = The environment variable { $var } is not set
cli-password-stdin = Cannot read the password from standard input: { $reason }
cli-password-empty = The password is empty

## Command-line help
cli = Outgoing mail settings: profiles, checks and diagnosis. Without a command, opens the window.
cli-profile = Manage delivery profiles
cli-profile-list = List the profiles of both scopes
cli-profile-list--json = Print JSON
cli-profile-show = Show one profile
cli-profile-show--name = The profile's name
cli-profile-show--json = Print JSON
cli-profile-delete = Delete a user profile and its saved password
cli-profile-delete--name = The profile's name
cli-profile-export = Export profiles (all when none is named) to a file, never with passwords
cli-profile-export--names = The profiles to export
cli-profile-export--output = The file to write
cli-profile-import = Import profiles from a file: all of them or none
cli-profile-import--file = The file to read
cli-profile-import--on-conflict = What to do with a name that exists already
cli-profile-import--json = Print JSON
cli-profile-set-password = Save a profile's password in the keyring
cli-profile-set-password--name = The profile's name
cli-profile-set-password--password-stdin = Read the password from standard input
cli-profile-set-password--password-env = Read the password from this environment variable
cli-profile-clear-password = Remove a profile's password from the keyring
cli-profile-clear-password--name = The profile's name

## Check
diag-ok = The check passed: the server (or program) accepted every step.
diag-ok-hint = Nothing to fix.
diag-dns-failed = The server name { $host } could not be resolved to an address.
diag-dns-failed-hint = Check the spelling of the server name and that this computer can reach its DNS servers.
diag-connect-refused = Nothing accepted the connection to { $host } on port { $port }.
diag-connect-refused-hint = Check the port: 465 is SSL/TLS, 587 is STARTTLS, 25 is plain. A firewall may also reject it.
diag-connect-timeout = The connection to { $host } on port { $port } got no answer in time.
diag-connect-timeout-hint = A firewall or the provider probably blocks this port (port 25 is often blocked); try 587 or 465.
diag-timeout = The server stopped answering: no reply within { $seconds } s.
diag-timeout-hint = The server may be overloaded or the connection filtered; try again later or raise the timeout.
diag-tls-handshake-failed = The encrypted connection (TLS) could not be set up.
diag-tls-handshake-failed-hint = The server may only offer old TLS versions or ciphers; check the security setting and the transcript.
diag-tls-mode-mismatch = { $found ->
    [plain] The server answered in plain text where encryption from the first byte (SSL/TLS) was expected.
   *[tls] The server waits for encryption from the first byte (SSL/TLS) and never greets in plain text.
}
diag-tls-mode-mismatch-hint = Set security to { $security } on port { $port }.
diag-certificate-untrusted = The server's certificate is not issued by an authority this computer trusts (self-signed or unknown issuer).
diag-certificate-untrusted-hint = Install the issuing authority's certificate, or for a test server turn on "accept invalid certificates" (not safe for real use).
diag-certificate-expired = The server's certificate has expired (or is not valid yet).
diag-certificate-expired-hint = The server's administrator must renew the certificate; also check this computer's clock.
diag-certificate-name-mismatch = The server's certificate is made for other names than { $host }.
diag-certificate-name-mismatch-hint = Use the server name the certificate lists (see Server facts), as the provider documents it.
diag-starttls-unavailable = The server at { $host } does not offer STARTTLS.
diag-starttls-unavailable-hint = Use SSL/TLS on port 465 if the server offers it; choose no encryption only on a trusted network.
diag-auth-mechanism-unavailable = The server does not offer the login method { $wanted }; it offers: { $offered }.
diag-auth-mechanism-unavailable-hint = Choose one of the offered methods, or Auto. Some servers offer login only after STARTTLS.
diag-auth-failed = The server refused the login: wrong user name or password.
diag-auth-failed-hint = Check the user name format the provider expects (often the whole address) and the password. With two-factor sign-in the provider may need an application password.
diag-app-password-required = The provider requires an application-specific password for mail programs.
diag-app-password-required-hint = Create an application password in the account's security settings and use it instead of the normal password.
diag-auth-disabled-by-provider = The provider has turned off password login over SMTP for this account.
diag-auth-disabled-by-provider-hint = Turn on "authenticated SMTP" for the mailbox in the provider's admin centre, or use OAuth2 (XOAUTH2).
diag-sender-rejected = The server does not allow sending as { $address } with this login.
diag-sender-rejected-hint = The sender address must match the account you log in with (or one of its allowed aliases).
diag-relay-denied = The server refuses to pass the message on (relay denied).
diag-relay-denied-hint = Turn authentication on: most servers relay mail only for users who log in.
diag-recipient-rejected = The server rejected the recipient { $address }.
diag-recipient-rejected-hint = Check the recipient's address; the reply in the transcript says why.
diag-message-rejected = The server rejected the message itself.
diag-message-rejected-hint = The server's reply says why (size, content, policy); see the transcript.
diag-server-unavailable = The server refuses service for now (421 or 554).
diag-server-unavailable-hint = Try again later; if it persists, the server may block this computer's address.
diag-protocol-error = The server broke the SMTP conversation: { $reply }
diag-protocol-error-hint = This may not be an SMTP server, or something between breaks the connection; check the host, the port and the transcript.
diag-sendmail-not-found = The sendmail program { $path } does not exist.
diag-sendmail-not-found-hint = Install a mail transfer agent (postfix, exim, msmtp…) or set the right path.
diag-sendmail-not-executable = { $path } cannot be run as the sendmail program.
diag-sendmail-not-executable-hint = The path must be an executable file; check its permissions.
diag-sendmail-failed = The sendmail program failed: { $reply }
diag-sendmail-failed-hint = Read its error output in the transcript; the program's own log usually says more.
diag-keyring-unavailable = The password could not be read from the keyring: { $reply }
diag-keyring-unavailable-hint = Unlock the keyring, or give the password with --password-stdin or --password-env.
diag-cancelled = The check was cancelled.
diag-cancelled-hint = Run it again when ready.
check-status-ok = ok
check-status-warning = warning
check-status-failed = FAILED
check-status-skipped = skipped
check-test-subject = Outbound test message
check-test-body = This is a test message sent by Outbound to check the profile { $profile } through { $route } at { $time }.
check-message-bad-sender = The sender address { $address } is not a valid mailbox
check-message-bad-recipient = The recipient { $address } is not a valid mailbox
check-message-no-recipients = No recipients for the test message
check-message-build = Cannot build the test message: { $reason }
check-info-resolving = looking up { $host }
check-info-connecting = connecting to { $address }
check-info-tls-start = starting TLS
check-info-message = message of { $bytes } bytes
check-detail-no-address = no address found
check-detail-accepted-invalid = certificate accepted although invalid ({ $reason }), because "accept invalid certificates" is on
check-detail-speaks-tls = the port answers a TLS hello
check-detail-no-starttls = STARTTLS is not among the server's EHLO keywords
check-detail-starttls-injection = the server sent data after its STARTTLS reply
check-detail-timed-out = no answer within { $seconds } s
check-detail-closed = the server closed the connection
check-detail-too-long = a reply line longer than { $limit } bytes
check-detail-too-many-lines = a reply with too many lines
check-detail-malformed = not an SMTP reply: { $line }
check-detail-bad-challenge = the CRAM-MD5 challenge is not base64
check-detail-auth-plaintext = the password was sent without encryption
check-detail-abandoned = message abandoned: the connection is closed before the end of the message, so nothing is delivered
check-detail-not-regular = not a regular file
check-detail-not-executable = not executable
check-cert-trusted = trusted
check-cert-untrusted = untrusted issuer
check-cert-expired = expired
check-cert-not-yet-valid = not valid yet
check-cert-name-mismatch = made for other names
check-limit-reached = Sending refused: the profile { $name } has reached its daily limit of { $limit } messages (counted per UTC day).
check-limit-io = Cannot update the count of sent messages in { $path }: { $reason }
cli-check-bad-host = Not a server name or address: { $host }
cli-check-no-recipients = Sending needs recipients: give --to or set the profile's test recipients
cli-check-no-sender = Sending needs a sender address: give --from or set the profile's sender
cli-check-hint = Hint: { $hint }
cli-check-log-failed = Cannot write the log file { $file }: { $reason }
cli-check = Check a profile (or a server, or a sendmail program) step by step
cli-check--profile = The saved profile to check (its password comes from the keyring)
cli-check--host = The SMTP server to check without a saved profile
cli-check--port = The port (default follows security: 465, 587 or 25)
cli-check--security = Transport security
cli-check--auth = Login method
cli-check--user = The user name to log in with
cli-check--password-stdin = Read the password from standard input
cli-check--password-env = Read the password from this environment variable
cli-check--from = The sender address
cli-check--to = Recipients of the test message, comma-separated
cli-check--send = Send a test message
cli-check--timeout = Seconds each network step may take
cli-check--accept-invalid-certs = Accept an invalid certificate (reported as a warning)
cli-check--sendmail = The sendmail program to check
cli-check--args = Arguments of the sendmail program
cli-check--json = Print JSON
