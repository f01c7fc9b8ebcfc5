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
store-read-only = “{ $name }” is a system profile, and the folder of system profiles is read-only for you
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

## Window
unsaved = unsaved
save = Save
revert = Revert
ok = OK
cancel = Cancel
browse = Browse…
sidebar-system = SYSTEM
action-new = New
action-duplicate = Duplicate
action-delete = Delete
action-import = Import…
action-export = Export…
delete-confirm = Delete for good
nav-preferences = Preferences
tab-delivery = Delivery method
tab-smtp = SMTP
tab-sendmail = Sendmail
tab-not-used = This profile delivers by the other method; these settings are kept for when you switch back.
section-profile = Profile
section-log = Logging and limits
field-delivery = Delivery
delivery-sendmail = Local sendmail program
delivery-smtp = SMTP server
field-sender-address = Sender address
field-sender-name = Sender name
field-subject-prefix = Subject prefix
field-name = System name
field-description = Description
field-enabled = Enabled
field-enabled-label = use this profile for sending
field-log-level = Log
log-full = Everything (passwords hidden)
log-errors = Errors only
log-off = Nothing
field-log-file = Log file
field-log-file-default = default: in the application's data folder
field-daily-limit = Messages per day
invalid-daily = the limit must be a whole number; 0 means no limit
field-host = Server
field-port = Port
port-presets = Usual ports
field-security = Security
security-none = None (plain text)
security-starttls = STARTTLS
security-tls = SSL/TLS
field-auth = Authentication
auth-none = None
auth-auto = Automatic (best offered)
field-username = User name
field-password = Password
password-show = Show
password-hide = Hide
keyring-checking = checking the keyring…
password-unsaved-change = changed; saved to the keyring with the profile
password-session-only = use the password for this session only
field-auth-domain = Domain (NTLM)
field-ehlo-name = EHLO name
field-ehlo-name-default = default: this computer's name
field-certificates = Certificates
field-accept-invalid-certs = accept invalid certificates
warning-invalid-certs = Anyone between this computer and the server can read and change the mail, passwords included. Use only for testing.
field-timeout = Timeout, s
field-sendmail-path = Program
field-sendmail-args = Arguments
sendmail-args-note = Arguments are split as a shell would split them (quotes group words) but never run through a shell.
field-language = Language
language-system = System
field-theme = Theme
theme-system = System
theme-light = Light
theme-dark = Dark
field-default-timeout = Timeout for new profiles, s
status-saved = Saved { $name }.
status-saved-without-password = The profile is saved, but its password is not: { $reason }
status-created = Created { $name }.
status-fix-fields = Not saved: correct the fields marked in red.
status-exported = { $count ->
    [one] Exported one profile.
   *[other] Exported { $count } profiles.
}
status-imported = Imported { $count }, skipped { $skipped }.
import-conflict-question = These profiles exist already: { $names }. What should the import do with them?
import-skip = Keep mine
import-replace = Replace
import-rename = Import under new names
path-prompt-no-dialog = No file dialog is available on this desktop; type the path instead.
path-prompt-export = File to export to
path-prompt-import = File to import

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
check-detail-auth-ntlm-clear = the NTLM answer went without encryption: whoever saw it can try passwords against it offline
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

## Directory and discovery
provider-bad-id = { $provider }: the id must be 1–64 characters of a–z, 0–9, "-" and "."
provider-no-name = { $provider }: the name is empty
provider-bad-host = { $provider }: { $field } is not a host name
provider-bad-port = { $provider }: { $field } is not a port
provider-no-domains = { $provider }: neither mail domains nor MX suffixes are given
provider-domain-twice = { $provider }: a domain is listed twice
provider-bad-domain = { $provider }: { $field } holds something that is not a domain
provider-bad-url = { $provider }: { $field } must be an https:// address
provider-no-scopes = { $provider }: OAuth2 needs at least one scope
directory-in-use = Provider { $id } is used by these profiles, so it is kept: { $profiles }
directory-not-found = No provider has the id { $id }
directory-not-bundled = Provider { $id } is not in the bundled directory, so there is nothing to reset it to
directory-damaged = Your directory file is damaged; repair or remove it before changing the directory: { $reason }
directory-user-file-skipped = Your own directory entries are not used: { $reason }
directory-origin-bundled = bundled
directory-origin-user = added by you
directory-origin-override = changed by you
directory-domain-count = { $count ->
    [one] { $count } domain
   *[other] { $count } domains
}
directory-lookup-none = No provider in the directory serves { $domain }
directory-imported = Imported { $id } ({ $name }) into your directory
directory-exported = Wrote { $count ->
    [one] one provider
   *[other] { $count } providers
} to { $file }
directory-deleted = Provider { $id } removed from your directory
directory-reset-done = Provider { $id } is as bundled again
directory-file-error = { $file }: { $reason }
autoconfig-too-large = The file is { $size } bytes; autoconfig files over { $limit } bytes are refused
autoconfig-dtd = Line { $line }: document type declarations (DTD) are refused, so that no entity can expand
autoconfig-xml = Line { $line }, column { $column }: not well-formed XML: { $message }
autoconfig-wrong-root = Line { $line }: the root element is <{ $found }>, not <clientConfig>
autoconfig-no-provider = Line { $line }: <clientConfig> has no <emailProvider>
autoconfig-no-smtp = Line { $line }: the provider has no SMTP outgoing server
autoconfig-no-usable-smtp = No SMTP server of the file can be used: { $reasons }
autoconfig-no-domain = Line { $line }: the provider names no usable mail domain
autoconfig-invalid = The imported provider is not valid: { $issues }
source-user-directory = your directory
source-bundled-directory = bundled directory
source-autoconfig-https = autoconfig (HTTPS)
source-autoconfig-well-known = autoconfig (.well-known)
source-srv-submissions = DNS SRV _submissions
source-srv-submission = DNS SRV _submission
source-mx = MX records
source-autoconfig-http = autoconfig (plain HTTP)
source-probe = probe
detect-found = { $host }:{ $port } { $security }, from { $source }
detect-provider = Provider: { $name }; user name: { $login }; sign-in: { $auth }
detect-insecure = Warning: this answer came over plain HTTP, which anyone on the network path could have changed
detect-none = No settings were found for { $domain }
detect-status-answered = answered
detect-status-failed = failed
detect-status-cancelled = cancelled: a higher-priority source answered
detect-status-timed-out = no answer in time
detect-probe-header = Probe ({ $ms } ms):
detect-probe-winner = answer:
detect-bad-address = { $address } is not an e-mail address
cli-directory = The providers and domains directory
cli-directory-list = List the providers of the directory
cli-directory-list--json = Print JSON
cli-directory-show = Show one provider
cli-directory-show--id = The provider's id
cli-directory-show--json = Print JSON
cli-directory-lookup = Find the provider serving a mail domain
cli-directory-lookup--domain = The mail domain (international names are accepted)
cli-directory-lookup--json = Print JSON
cli-directory-import-autoconfig = Import a Thunderbird autoconfig file (clientConfig 1.1) into your directory
cli-directory-import-autoconfig--file = The autoconfig XML file
cli-directory-import-autoconfig--json = Print JSON
cli-directory-export = Export the directory to a file
cli-directory-export--output = The file to write
cli-directory-export--autoconfig = Write this provider as a Thunderbird autoconfig file instead
cli-directory-delete = Remove a provider (a bundled one is hidden); refused while profiles use it
cli-directory-delete--id = The provider's id
cli-directory-reset = Put a bundled provider back as shipped
cli-directory-reset--id = The provider's id
cli-detect = Find the outgoing-mail settings for an e-mail address
cli-detect--address = The e-mail address
cli-detect--probe = Also try the usual servers and ports directly (EHLO and QUIT only, never a password)
cli-detect--json = Print JSON
probe-lost-ranked-below = answered, but ranks below the winner
probe-lost-no-address = no address: { $reason }
probe-lost-refused = connection refused: { $reason }
probe-lost-timeout = no answer within the timeout
probe-lost-grace = still silent { $ms } ms after a lower-ranked candidate answered
probe-lost-cancelled = stopped: a higher-ranked candidate had answered
probe-no-resolver = no DNS resolver is available
probe-tls-failed = TLS handshake failed: { $reason }
probe-no-starttls = the server does not offer STARTTLS
probe-rejected = { $step } answered { $code } { $text }
probe-closed = the server closed the connection
probe-line-too-long = a reply line longer than { $limit } bytes: not an SMTP server
probe-not-smtp = not an SMTP reply: { $text }
probe-too-many-lines = a reply of more than { $limit } lines
discover-not-in-directory = the domain is not in the directory
discover-only-bundled = the domain is in the bundled directory, not in yours
discover-user-answers = your directory answers for this domain
discover-lookup-stopped = the DNS lookup stopped
discover-no-service = the domain publishes that it offers no such service (target ".")
discover-no-records = no such record
discover-mx-unknown = the MX hosts { $hosts } match no provider
discover-redirect-downgrade = the HTTPS address redirected to plain HTTP, which is refused

## Packaging
cli-completions = Print a shell completion script (for packagers)
cli-completions--shell = The shell to complete for
cli-man = Print the manual page in roff (for packagers)
generate-write-failed = Cannot write to standard output: { $reason }
man-manual = Outbound manual
man-section-name = NAME
man-section-synopsis = SYNOPSIS
man-section-description = DESCRIPTION
man-section-options = OPTIONS
man-section-commands = COMMANDS
man-section-exit-status = EXIT STATUS
man-section-environment = ENVIRONMENT
man-section-files = FILES
man-section-secrets = PASSWORDS
man-exit-0 = Success.
man-exit-1 = The check or lookup found a problem.
man-exit-2 = Bad usage, bad input, or a problem with the environment (for example no reachable keyring); the message is on standard error.
man-env-lang = The interface language, ru or en; without it the system locale decides.
man-env-log = What to log on standard error: a level such as debug, or targets with levels such as outbound=debug,zbus=info; the default is warn.
man-env-system-dir = Replaces the folder of system profiles, /etc/outbound/profiles.
man-env-config-home = The base of the user's configuration; profiles are kept under it in outbound/profiles.
man-file-user-profiles = The user's profiles, one TOML file each, mode 0600.
man-file-system-profiles = Profiles an administrator gives every user of the machine; read-only unless writable.
man-secrets = Passwords are never written to a file: they are kept in the system keyring (Secret Service on Linux) under the service outbound and the user profile:NAME.
man-section-system-sendmail = THE SYSTEM'S SENDMAIL
man-sendmail-switch = The .deb and .rpm packages install /usr/bin/outbound-sendmail, a link to outbound that works as outbound send, and register it with the alternatives system for /usr/sbin/sendmail at a low priority (5), so an installed mail server is not displaced. To send the machine's mail through Outbound, choose it:
man-sendmail-mta = An MTA package's own /usr/sbin/sendmail file (postfix, exim, sendmail) is not an alternative and takes precedence: update-alternatives leaves it in place with a warning until that package is removed; then the command above makes Outbound the system's sendmail. On Fedora the group is called mta:
man-sendmail-php = PHP's mail() can use Outbound without changing the system's sendmail: set sendmail_path in php.ini. The message goes through the profile whose sender address or sender identities match the envelope sender (-f) or From, else through the default profile.
man-sendmail-cron = cron mails a job's output through /usr/sbin/sendmail -t -i, so once Outbound is the system's sendmail it goes through the profile matching cron's sender (usually root@HOSTNAME) or through the default profile. The recipient is set in the crontab:

## Window: Check tab
tab-check = Check
field-recipients = Test recipients
check-send-message = send a test message
check-start = Check
check-running = Checking…
check-cancelled = The check was cancelled; the connection is closed.
check-needs-sender = a test message needs a sender address
check-show-facts = Server facts
check-hide-facts = Hide server facts
check-copy-log = Copy log
check-save-log = Save log…
check-apply = Apply
check-transcript = Transcript (passwords hidden)
facts-address = Address
facts-greeting = Greeting
facts-extensions = Extensions
facts-auth = Login methods
facts-size = Largest message, bytes
facts-program = Program
facts-mta = Mail system
facts-tls = TLS
facts-verification = Certificate
facts-subject = Subject
facts-issuer = Issuer
facts-valid = Valid
facts-names = Names
facts-fingerprint = SHA-256
status-log-saved = The log is saved in { $file }.
path-prompt-log = File to save the log in

## Window: Detect
field-address = E-mail address
window-detect = Detect
window-detect-running = Looking for the settings…
window-detect-found = { $name }: { $host }, port { $port }, { $security } — from the { $source }
window-detect-ignore = Ignore
window-detect-nothing = No settings were found for this domain; enter the server by hand.

## Window: Providers & domains
nav-directory = Providers & domains
login-email = the whole address
login-local-part = the part before @
login-manual = typed by the user
provider-auth-password = password
provider-auth-encrypted = password, encrypted (CRAM-MD5)
directory-search = Search by name or domain
directory-import = Import autoconfig…
directory-export = Export autoconfig…
directory-reset = Reset to bundled
directory-choose = Choose a provider in the list, or add one.
directory-new = New provider
directory-add-domain = Add
directory-saved = Provider { $id } is saved in your directory.
provider-id = Id
provider-name = Name
provider-smtp = SMTP server
provider-imap = IMAP server
provider-login = User name
provider-client-id = Client id
provider-auth-url = Authorisation URL
provider-token-url = Token URL
provider-scopes = Scopes
provider-domains = Mail domains
path-prompt-autoconfig = Autoconfig file

## Window: Sendmail
sendmail-found = { $path }
sendmail-found-mta = { $path } — { $mta }

## Export and import with providers
import-invalid-provider = { $file }, line { $line }, provider “{ $provider }”: { $problem }. Nothing was imported.
import-duplicate-provider = { $file }, line { $line }: provider “{ $id }” appears twice in the file. Nothing was imported.
import-provider = provider { $id } put in your directory
cli-exported-providers = { $count ->
    [one] with one provider of your directory that they use
   *[other] with { $count } providers of your directory that they use
}
status-imported-providers = Providers put in your directory: { $ids }.

# --- journal (issue 17) ---
journal-waiting = Another Outbound is saving… waiting for it to finish.
journal-busy = Another Outbound kept the settings folder locked ({ $path }) for { $seconds } s, so nothing was changed. Try again when it has finished.
journal-damaged = The record of an unfinished change, { $path }, cannot be read ({ $reason }). Nothing was changed; move that file away to go on.
journal-keyring-failed = An interrupted change to profile { $name } could not finish in the keyring: { $reason }
cli-renamed = Renamed profile { $old } to { $new }
cli-password-not-moved = The password could not be moved to the new name in the keyring: { $reason }
cli-profile-rename = Rename a profile; its saved password moves with it
cli-profile-rename--old = The profile's current name
cli-profile-rename--new = The new name
# --- files and secrets (issue 11) ---
invalid-log-file-relative = the log file must be given by an absolute path (such as /home/you/outbound.log)
invalid-log-file-directory = the log file is a folder; give the path of a file in it
invalid-log-file-symlink = the log file is a symbolic link, which is not followed; give the path of the file itself
invalid-log-file-special = the log file is a device, a FIFO or a socket, not a regular file
invalid-sender-pattern = not a sender: { $value } (write Name <address>, address, or *@domain)
invalid-folder = the folder name must not be empty
log-file-refused = The log file { $file } is not written: { $problem }. Change “log.file” in the profile.
check-limit-damaged = Sending refused: the count of sent messages in { $path } is damaged ({ $reason }), so the daily limit cannot be kept. Remove the file (today’s counts start again from 0) or repair it, then try again.
check-profile-disabled = Sending refused: the profile { $name } is disabled. Enable it and save it to send through it; a check without sending is still possible.
# --- check engine (issue 11) ---
diag-connect-unreachable = There is no route to { $host } (port { $port }): the network or the host is unreachable.
diag-connect-unreachable-hint = Check this computer's network connection. An IPv6 address without working IPv6, a VPN or a firewall rule that rejects the route are common causes.
diag-connection-reset = The connection to { $host } on port { $port } was reset.
diag-connection-reset-hint = Something cut the connection: a firewall, an antivirus mail shield or the server's limit on connections. Try again later or the other port (465 or 587).
diag-plaintext-auth-refused = The connection is not encrypted and the server offers only login methods that would send the password readable ({ $offered }), so Auto did not log in.
diag-plaintext-auth-refused-hint = { $starttls ->
    [yes] The server offers STARTTLS: set security to STARTTLS on port { $port }.
   *[no] Use SSL/TLS (port 465) or STARTTLS (port 587). Only on a trusted network choose PLAIN or LOGIN explicitly.
}
diag-smtputf8-unsupported = The address { $address } has non-ASCII characters, and the server does not offer SMTPUTF8, which is needed to carry them.
diag-smtputf8-unsupported-hint = Use an address written in ASCII letters (ask the recipient for one), or a server that supports SMTPUTF8.
# --- command line (issue 11) ---
cli-directory-bad-domain = Not a domain name: { $domain }
diag-profile-disabled = Sending refused: the profile { $name } is disabled.
diag-profile-disabled-hint = A disabled profile is kept but not used for sending. Enable it and save it to send through it; a check without sending still works.
diag-limit-reached = Sending refused: the profile { $name } has reached its daily limit of { $limit } messages (counted per UTC day).
diag-limit-reached-hint = Nothing was sent. Send again tomorrow (UTC) or raise the profile's daily limit; a check without sending is still allowed.
diag-cannot-start = The check could not start: { $reply }
diag-cannot-start-hint = Correct the command line or the environment as the message says; outbound check --help lists the options.
man-exit-130 = The check was interrupted (Ctrl+C); with --json the diagnosis is “cancelled”.
# --- pages (issue 11) ---
cli-check--confirm-sendmail = Run the profile's imported sendmail command, which is not confirmed yet, and trust it from now on
trust-cli-unconfirmed = Profile { $name } was imported with the sendmail command “{ $command }”, which has not run on this computer yet. Read it; if it is yours to run, check again with: outbound check --profile { $name } --confirm-sendmail
check-confirm-title = Run this imported sendmail command?
check-confirm-intro = This profile was imported, and its check runs the program below with these arguments. Nothing has run it on this computer yet: run it only if you trust it.
check-confirm-program = Program
check-confirm-argument = Argument { $number }
check-confirm-no-arguments = no arguments
check-confirm-run = Run
check-confirm-failed = The confirmation could not be recorded: { $reason }
directory-draft-changed = This provider was changed elsewhere since you started editing; your unsaved changes are kept. Save writes them over the stored version.
directory-draft-vanished = This provider is no longer in the directory; your unsaved changes are kept. Save adds it again.
sendmail-args-password = A password written in the arguments (such as ssmtp's -ap or --passwd) is stored in clear in the profile file. Keep passwords in the keyring instead: use SMTP delivery, or your sendmail program's own protected configuration.
# --- window (issue 11) ---
quit-unsaved-question = These profiles have unsaved changes: { $names }. Save them before quitting?
quit-save = Save and quit
quit-discard = Quit without saving
quit-saving = Saving…
quit-save-failed = { $name } could not be saved, so the window stays open: { $reason }
# --- delivery page, sendmail, msmtp (issue 12, wt-sendui) ---
cli-profile-msmtprc = Write an msmtp configuration: an account per SMTP profile, the default profile as msmtp's default, passwords read from the keyring by passwordeval
cli-profile-msmtprc--output = The file to write (mode 0600); without it the configuration is printed
cli-profile-password = Print the profile's password from the keyring on standard output, for msmtp's passwordeval; refused on a terminal without --force
cli-profile-password--name = The profile's name
cli-profile-password--force = Print it even when standard output is a terminal
cli-password-terminal = Not printed: standard output is a terminal, where the password would be seen. This command is for programs (msmtp's passwordeval); add --force to show it anyway.
cli-password-none = No password of { $name } is saved in the keyring.
cli-msmtprc-left-out = { $name } gets no msmtp account (not an enabled SMTP profile, a duplicate name, or a value msmtp cannot hold).
cli-msmtprc-written = { $count ->
    [one] Wrote an msmtp configuration with { $count } account to { $file }
   *[other] Wrote an msmtp configuration with { $count } accounts to { $file }
}
section-senders = Senders
field-senders = Sender identities
senders-none = Only the sender address above.
senders-placeholder = Shop <shop@example.org> or *@example.org
senders-add = Add
senders-remove = Remove
senders-help = outbound send routes mail whose envelope sender or From is one of these through this profile (plus-addressing included): Name <address>, address, or *@domain for every address of a domain.
field-default-profile = Default profile
default-profile-label = Use this profile for mail from any other sender
default-profile-other = The default profile now is { $name }.
status-default-set = { $name } is now the default profile.
status-default-cleared = { $name } is no longer the default profile; mail from senders no profile has is refused.
section-machine = This computer's sendmail
mta-looking = Looking at /usr/sbin/sendmail…
mta-none = There is no sendmail program (/usr/sbin/sendmail and /usr/lib/sendmail are missing): programs that send mail through it fail.
mta-found = { $path } is { $kind ->
    [outbound] Outbound: programs that send mail through sendmail use these profiles.
    [postfix] Postfix.
    [exim] Exim.
    [msmtp] msmtp.
    [ssmtp] ssmtp.
    [nullmailer] nullmailer.
   *[other] another program.
}
mta-via = ({ $program })
mta-alternatives = Chosen with Debian's alternatives: update-alternatives --config sendmail switches it.
mta-switch = The Outbound packages register /usr/bin/outbound-sendmail as a low-priority alternative for /usr/sbin/sendmail. To send the machine's mail through Outbound, run: sudo update-alternatives --set sendmail /usr/bin/outbound-sendmail (Fedora: sudo alternatives --set mta /usr/bin/outbound-sendmail). An installed mail server's own /usr/sbin/sendmail file (postfix, exim) takes precedence until that server's package is removed.
msmtp-write = Write an msmtp configuration…
msmtp-help = For machines that keep msmtp: an account per enabled SMTP profile and the default profile as msmtp's default. msmtp asks Outbound for each password (passwordeval), so none is written.
path-prompt-msmtprc = The file for the msmtp configuration (such as ~/.msmtprc)

## outbound send (issue 12, wt-send)
check-detail-too-big = the message has { $size } bytes, more than the server's limit of { $limit }
send-route-unknown = There is no profile named { $name }.
send-route-disabled = Profile { $name } is disabled, so nothing is sent through it.
send-route-no-match = No enabled profile sends as { $sender } (envelope sender) or { $from } (From), and no default profile is set. Add the address to a profile's sender identities or choose a default profile.
cli-send = Sends a message from standard input as sendmail does (-t, -i, -f, -F, -r, -N, -R, --profile NAME); the profile is chosen by the sender. A temporary failure (4xx, timeout, no connection) puts it in the queue and exits 0; --queue (-odq, -odd) only queues it; -q (--flush) sends the whole queue instead of reading a message
cli-send--args = sendmail's options and the recipients
send-args-unknown = unknown option { $option } (sendmail's -t, -i, -oi, -f, -F, -r, -N, -R and --profile NAME are understood)
send-args-missing = option { $option } needs a value
send-args-bad-value = { $value } is not a valid value for { $option }
send-args-mode = mode { $mode } is not supported: only sending a message from standard input is
send-prepare-empty = the message on standard input is empty
send-prepare-no-recipients = the message has no recipients: give them as arguments, or use -t to take them from To, Cc and Bcc
send-prepare-bad-address = { $address } is not an address
send-read-failed = cannot read the message from standard input: { $reason }
send-keyring-failed = the profile's password cannot be read from the keyring: { $reason }
send-not-sent = the message was not sent: { $reason }
send-queued = queued as { $id }
send-queued-after = queued as { $id }, to be sent later: { $reason }
send-limit-refused = { $reason } The message is refused, not queued (the profile has limits.over = refuse).

## --- Queue (issue 12, wt-queue) ---
queue-error-io = The mail queue in { $path }: { $reason }
queue-error-damaged = The queued message { $path } is damaged: { $reason }
queue-error-not-found = There is no queued message { $id }.
queue-error-busy = The queued message { $id } is being sent right now; try again in a moment.
queue-error-bad-id = “{ $id }” is not a queue id (see outbound queue list).
queue-uncertain = A flush was interrupted while sending this message: it may have been delivered. It is kept and not sent again by itself: outbound queue flush --retry-uncertain sends it, outbound queue delete drops it.
queue-gave-up = Not delivered after { $days } days; given up. Last error: { $reason }
queue-no-profile = The profile { $name } no longer exists.
queue-no-outcome = The delivery ended without an outcome for this message.
cli-queue = Messages kept for later delivery by outbound send
cli-queue-list = Lists the queued messages
cli-queue-list--json = Prints a JSON array
cli-queue-flush = Sends the queued messages now, one connection per profile
cli-queue-flush--due = Only the messages whose next attempt has come
cli-queue-flush--retry-uncertain = Also sends the messages an interrupted flush may have delivered
cli-queue-flush--json = Prints a JSON summary
cli-queue-delete = Removes one queued message
cli-queue-delete--id = The message's id, as outbound queue list shows it
cli-queue-purge = Removes every queued message
cli-queue-empty = The queue is empty.
cli-queue-attempts = attempts
cli-queue-next = next
cli-queue-uncertain-tag = may have been delivered
cli-queue-deleted = Removed { $id } from the queue.
cli-queue-purged = Removed { $count } messages from the queue.
cli-queue-flushed = Sent { $sent }, kept for later { $deferred }, failed { $failed }, may have been delivered { $uncertain }.
section-queue = Queue
queue-looking = Looking at the queue…
queue-waiting = { $count ->
    [0] No messages of this profile are waiting.
    [one] { $count } message of this profile is waiting.
   *[other] { $count } messages of this profile are waiting.
}
queue-flush = Flush
queue-delete = Delete
queue-item-facts = { $size } bytes, { $attempts } attempts, next { $next }
queue-last-error = Last error: { $error }
queue-ui-uncertain = A flush was interrupted while sending it: it may have been delivered.
queue-deleted = Deleted the queued message { $id }.
# --- round trip and the Incoming tab (issue 14, wt-roundtrip) ---
tab-incoming = Incoming
incoming-user-default = the SMTP user name ({ $user })
incoming-separate-password = Use a separate password for IMAP
incoming-password-shared = The SMTP password is used to sign in.
incoming-ntlm-domain = NTLM takes the domain from the user name (DOMAIN\user or user@domain), else from the “Domain (NTLM)” field on the SMTP tab.
incoming-gssapi-ticket = Kerberos signs in with your Windows (Kerberos) ticket for imap/SERVER: no password is sent. Without a ticket, run kinit or log on to the domain.
incoming-password-session = This password is kept for this session only.
incoming-folder = Folder
incoming-check = Check incoming
roundtrip-start = Round trip
roundtrip-needs = A round trip needs a sender address, an SMTP server and an IMAP server (Incoming tab). It goes to the recipient above when there is exactly one, else to the sender address.
roundtrip-title = Round trip
roundtrip-waiting = Waiting for the message… { $seconds } s
roundtrip-cancelled = The round trip was cancelled; both connections are closed.
roundtrip-path = Delivery path
roundtrip-seconds = { $value } s
roundtrip-milliseconds = { $value } ms
roundtrip-to = Sent to
roundtrip-token = Token
roundtrip-submitted = Accepted by the server
roundtrip-arrived = Seen in the mailbox
roundtrip-delay = Delay
roundtrip-folder = Folder
roundtrip-cleanup = Test message
roundtrip-deleted = deleted
roundtrip-kept = kept in the mailbox
roundtrip-delete-failed = could not be deleted
roundtrip-hop = { $number }. { $from } → { $by } { $with }  { $delay }
roundtrip-node-sent = sent
roundtrip-node-seen = seen
diag-not-delivered = The test message did not arrive at { $address } within { $seconds } seconds.
diag-not-delivered-hint = The server accepted it, so it was lost or delayed further on: check the address, the Junk folder and the provider's filters, or wait longer with --wait. A message to another domain is read here only when that domain's mailbox is this profile's.
diag-delivered-to-spam = The test message arrived, but in the spam folder { $folder }.
diag-delivered-to-spam-hint = Receivers judge the sender: publish SPF and DKIM for the sender's domain (see the Authentication-Results verdicts), send through the provider's own server, and mark the message as not spam.
check-detail-folders = INBOX and { $junk }
check-detail-folders-no-junk = INBOX only (no Junk folder found)
check-detail-arrived = arrived in { $folder } (UID { $uid })
check-detail-not-arrived = not there after { $seconds } s
check-detail-fetched = { $hops } Received hops, { $verdicts } verdicts
check-detail-deleted = deleted
check-detail-kept = kept (--keep)
cli-roundtrip = Send a marked test message through the profile's SMTP server and wait for it in its IMAP mailbox
cli-roundtrip--profile = The saved profile to use (passwords from the keyring)
cli-roundtrip--to = Send to this address instead of the profile's sender address
cli-roundtrip--wait = How long to wait for the message, in seconds (default 120)
cli-roundtrip--keep = Keep the test message in the mailbox instead of deleting it
cli-roundtrip--json = Print one JSON object
cli-roundtrip-sent = Sent to { $to } with token { $token }.
cli-roundtrip-arrived = Arrived in { $folder } after { $delay }.
cli-roundtrip-hop = hop { $number }: { $from } → { $by } { $with } { $delay }
cli-roundtrip-verdict = { $method }: { $result } ({ $by })

## IMAP check (issue 14, wt-imap)
diag-imap-login-disabled = The server does not let this connection sign in: it says LOGINDISABLED or refuses a password without encryption, and offers no other usable method ({ $offered }).
diag-imap-login-disabled-hint = { $starttls ->
    [yes] The server offers STARTTLS: set the incoming security to STARTTLS on port { $port }.
   *[no] Use SSL/TLS (port 993) or STARTTLS (port 143) for the incoming server.
}
diag-mailbox-not-found = The folder { $name } does not exist in this mailbox.
diag-mailbox-not-found-hint = Check the folder's name (INBOX for the inbox; other names are as the mail program shows them, and case may matter).
diag-imap-account-disabled = The provider has turned IMAP off for this account, or wants a sign-in in the web browser first: { $reply }
diag-imap-account-disabled-hint = Sign in to the account's web mail, allow IMAP access in its settings (and confirm any security prompt there), then check again.
check-detail-imap-preauth = already signed in by the server (PREAUTH)
check-detail-imap-login = signed in with { $mechanism }
check-detail-imap-selected = { $name }: { $exists } messages, UIDVALIDITY { $uidvalidity }
check-detail-imap-selected-quota = { $name }: { $exists } messages, UIDVALIDITY { $uidvalidity }, { $used } of { $limit } KiB used
check-detail-imap-malformed = not an IMAP response: { $line }
check-detail-imap-literal-too-large = the server announced { $size } bytes of data where at most { $limit } are accepted
cli-check--imap = Check the incoming server (IMAP) instead of the outgoing one
cli-check--folder = The folder the IMAP check opens (default INBOX)
cli-imap-bad-auth = --auth { $auth } is not a login method of IMAP
cli-imap-no-host = The profile { $name } has no incoming (IMAP) server
check-detail-marked-deleted = marked deleted (the server has no UIDPLUS, so it is not expunged)

## Bulk checks (outbound bulk)
bulk-row-error = line { $line }: { $reason }
bulk-row-no-address = no address
bulk-row-bad-address = “{ $value }” is not a mail address
bulk-row-bad-port = port “{ $value }” is not a number from 1 to 65535
bulk-row-bad-security = security “{ $value }” is not none, starttls or tls
bulk-row-field-count = { $found } fields where the header has { $expected }
bulk-row-open-quote = a quote is opened and never closed
bulk-list-too-big = The list is { $size } bytes; at most { $max } are read. Split it into smaller files.
bulk-list-not-text = The list is not UTF-8 text (line { $line }). Save it from the spreadsheet as “CSV UTF-8”.
bulk-list-no-address-column = The list's header row has no “address” column (the first row names the columns: address, and optionally password, user, host, port, security, profile).
bulk-list-empty = The list has no mailboxes.
bulk-no-server = line { $line }: no server is known for { $address }: give a host column or a template profile (--template).
bulk-no-template = line { $line }: there is no saved profile named “{ $name }”.
bulk-report-title = Outbound: bulk check
bulk-report-code = Result
bulk-report-count = Mailboxes
bulk-report-skipped = Rows not checked
bulk-report-line = line
cli-bulk = Check many mailboxes from a CSV or TSV list (columns address and optionally password, user, host, port, security, profile), several at once, and write a report
cli-bulk--file = The list: CSV or TSV with a header row, or one address per line
cli-bulk--template = A saved profile whose server settings fill what a row leaves out
cli-bulk--concurrency = How many checks run at once (1 to 64; at most 4 at once per server)
cli-bulk--report = Write the report to this file: .html, .csv or .json
cli-bulk--json = Print the whole run as one JSON object at the end
cli-bulk-report-format = { $path }: the report is written as .html, .csv or .json; give one of these extensions.
cli-bulk-line = line { $line }
cli-bulk-cancelled = Cancelled: { $done } of { $total } mailboxes were checked.
cli-bulk-skipped = rows not checked (see above)

## Sender domain (core::domain): what DNS says about the sender address's domain
domain-title = Sender domain { $domain }
domain-timed-out = no answer in time
domain-dmarc-several = more than one DMARC record is published
domain-dmarc-no-policy = the record has no valid p= policy
domain-mx-found = Mail to { $domain } goes to { $hosts }.
domain-hint-mx-found = Replies and bounces to the sender address can arrive.
domain-mx-none = { $domain } has no MX record.
domain-hint-mx-none = Replies and bounces then go to the domain's own address, if it takes mail at all; ask whoever runs the domain to publish an MX record.
domain-mx-null = { $domain } says it takes no mail (a null MX record).
domain-hint-mx-null = Replies and bounces to this sender cannot arrive, and many receivers refuse mail from such a domain; send from an address of a domain that takes mail.
domain-mx-lookup-failed = The MX records of { $domain } could not be looked up: { $reason }.
domain-hint-mx-lookup-failed = Check the network's DNS; the check itself does not depend on this.
domain-spf-pass = The SPF record of { $domain } allows the server ({ $address }) to send for it.
domain-hint-spf-pass = Nothing to do.
domain-spf-unchecked = { $domain } publishes an SPF record; there is no SMTP server address to test it against.
domain-hint-spf-unchecked = The local mail system decides where mail leaves this computer; its outgoing address must be allowed by this record.
domain-spf-fail = The SPF record of { $domain } does not allow the server ({ $address }) to send for it, and says to refuse such mail.
domain-hint-spf-fail = Receivers will reject or file as spam mail sent this way. Add the provider's SPF include (or the server's address) to the record of { $domain }, or send through the server the domain names.
domain-spf-softfail = The SPF record of { $domain } does not allow the server ({ $address }) to send for it (~all: treat as suspicious).
domain-hint-spf-softfail = Mail sent this way is likely to land in spam. Add the provider's SPF include (or the server's address) to the record of { $domain }.
domain-spf-neutral = The SPF record of { $domain } says nothing about the server ({ $address }).
domain-hint-spf-neutral = Receivers get no help from SPF for this mail; add the server's address or the provider's include to the record, and end it with -all or ~all.
domain-spf-none = { $domain } publishes no SPF record.
domain-hint-spf-none = Many receivers treat mail from a domain without SPF as suspicious. Publish a TXT record starting with v=spf1 that names the servers allowed to send.
domain-spf-too-many-lookups = The SPF record of { $domain } needs more than { $limit } DNS lookups, so receivers treat it as broken.
domain-hint-spf-too-many-lookups = Remove includes that are no longer used, or replace some of them with the ip4:/ip6: ranges they stand for.
domain-spf-permerror = The SPF record of { $domain } cannot be evaluated: { $reason }.
domain-hint-spf-permerror = Receivers treat such a record as broken; correct it (one v=spf1 record, valid terms).
domain-spf-temperror = The SPF record of { $domain } could not be checked: { $reason }.
domain-hint-spf-temperror = A DNS lookup failed or took too long; try again later. The check itself does not depend on this.
domain-dmarc-reject = The DMARC policy of { $domain } is reject: receivers refuse mail that fails SPF and DKIM.
domain-hint-dmarc-reject = Make sure every server that sends for the domain passes SPF or signs with DKIM.
domain-dmarc-quarantine = The DMARC policy of { $domain } is quarantine: mail that fails SPF and DKIM goes to spam.
domain-hint-dmarc-quarantine = Make sure every server that sends for the domain passes SPF or signs with DKIM.
domain-dmarc-none = The DMARC policy of { $domain } is none: receivers only report, they do not act.
domain-hint-dmarc-none = Once the reports show that all legitimate mail passes, move to p=quarantine or p=reject.
domain-dmarc-missing = { $domain } publishes no DMARC policy.
domain-hint-dmarc-missing = Large providers expect one from senders; publish a TXT record at _dmarc.{ $domain } such as “v=DMARC1; p=none; rua=mailto:…”.
domain-dmarc-invalid = The DMARC record of { $domain } is not valid: { $reason }.
domain-hint-dmarc-invalid = Receivers ignore it; publish one record at _dmarc.{ $domain } starting with v=DMARC1 and with p=none, quarantine or reject.
domain-dmarc-lookup-failed = The DMARC policy of { $domain } could not be looked up: { $reason }.
domain-hint-dmarc-lookup-failed = Check the network's DNS; the check itself does not depend on this.
domain-mta-sts-present = { $domain } publishes MTA-STS: mail to it must travel over verified TLS.
domain-hint-mta-sts-present = Nothing to do.
domain-mta-sts-absent = { $domain } does not publish MTA-STS.
domain-hint-mta-sts-absent = Optional: MTA-STS (a _mta-sts TXT record and a policy file) keeps mail to the domain from being read or redirected on the way.
domain-mta-sts-lookup-failed = Whether { $domain } publishes MTA-STS could not be looked up: { $reason }.
domain-hint-mta-sts-lookup-failed = Check the network's DNS; the check itself does not depend on this.
domain-tls-rpt-present = { $domain } asks for TLS reports (TLS-RPT).
domain-hint-tls-rpt-present = Nothing to do.
domain-tls-rpt-absent = { $domain } does not ask for TLS reports (TLS-RPT).
domain-hint-tls-rpt-absent = Optional: a TXT record at _smtp._tls.{ $domain } (“v=TLSRPTv1; rua=mailto:…”) lets other servers report failed TLS deliveries.
domain-tls-rpt-lookup-failed = Whether { $domain } asks for TLS reports could not be looked up: { $reason }.
domain-hint-tls-rpt-lookup-failed = Check the network's DNS; the check itself does not depend on this.
## Quick test (the first screen) and `outbound test`
nav-quick = Quick test
quick-title = Quick test
quick-intro = Check a mailbox by its address and password, without making a profile. Nothing is saved unless you press Save as profile.
quick-address = E-mail address
quick-password-session = The password is kept only while the window is open.
quick-test = Test
quick-found = Found { $smtp } ({ $source })
quick-show-settings = Show settings
quick-hide-settings = Hide settings
quick-outgoing = Outgoing (SMTP)
quick-incoming = Incoming (IMAP)
quick-no-incoming = No incoming server is known for this address.
quick-save = Save as profile
quick-sign-in-needed = { $provider } signs in in the browser (OAuth2).
quick-sign-in-hint = Sign in to check the mailbox: the sign-in is kept for this session only, and in the keyring only if you save the settings as a profile.
cli-test = Quick test of a mailbox: find its settings, then check sending and receiving at once
cli-test--address = The e-mail address
cli-test--password-stdin = Read the password from standard input
cli-test--password-env = Read the password from this environment variable
cli-test--json = Print JSON
cli-test--no-imap = Check only the outgoing side (SMTP)
cli-test-settings = Settings for { $address } (from { $source }):
cli-test-smtp = Outgoing (SMTP): { $host }:{ $port } { $security }, user { $user }, login { $auth }
cli-test-imap = Incoming (IMAP): { $host }:{ $port } { $security }, user { $user }, login { $auth }
cli-test-no-imap = Incoming (IMAP): no server known for this address
cli-test-no-password = The quick test needs the password: give --password-env VAR or --password-stdin
## OAuth 2.0 sign-in (issue 13)
cli-profile-sign-in = Sign the profile in with its provider (OAuth 2.0) and keep the tokens in the keyring
cli-profile-sign-in--name = The profile's name
cli-profile-sign-in--device = Sign in with a code typed on another device (for a machine without a browser)
cli-profile-sign-in--no-browser = Print the sign-in address without opening a browser
cli-profile-sign-out = Remove the profile's sign-in tokens from the keyring
cli-profile-sign-out--name = The profile's name
cli-oauth-device = Open { $url } on any device and enter the code { $code }. Waiting for the sign-in…
cli-oauth-browser = Sign in in the browser at the address below; waiting up to { $seconds } s…
cli-oauth-signed-in = { $name } is signed in; the tokens are in the keyring
cli-oauth-signed-out = The sign-in tokens of { $name } were removed from the keyring
diag-oauth-sign-in-required = The sign-in of { $name } is no longer valid: the provider refused to renew it ({ $reply }).
diag-oauth-sign-in-required-hint = Sign in again: outbound profile sign-in { $name } (or Sign in in the window). A password change or revoked access ends a sign-in.
oauth-not-configured = The provider of this profile has no OAuth 2.0 settings in Providers & domains.
oauth-no-client-id = The provider's OAuth 2.0 settings have no client id: register an application with the provider (a public client with the redirect address http://127.0.0.1) and enter its id in Providers & domains.
oauth-no-device-url = The provider's OAuth 2.0 settings have no device authorization address; sign in in the browser instead.
oauth-not-signed-in = The profile is not signed in.
oauth-sign-in-required = The sign-in is no longer valid; sign in again. { $reason }
oauth-refused = The authorization server refused: { $reason }
oauth-state-mismatch = The answer that reached Outbound does not belong to this sign-in (wrong state); it was refused.
oauth-issuer-mismatch = The answer that reached Outbound comes from another authorization server ({ $found }); it was refused.
oauth-expired = The sign-in was not finished in time.
oauth-http = { $url }: { $reason }
oauth-bad-answer = { $url } gave an answer Outbound does not understand: { $reason }
oauth-listener = The local sign-in listener failed: { $reason }
oauth-browser-done = Signed in. You can close this window and return to Outbound.
oauth-browser-failed = The sign-in was refused. Return to Outbound for the reason.
## Bulk check page (window)
nav-bulk = Bulk check
bulk-heading = Check many mailboxes
bulk-intro = A CSV or TSV list with a header row: address, and optionally password, user, host, port, security, profile. A template profile fills what a row leaves out. Passwords from the list are used for the checks only: never shown, logged or written.
bulk-list = List
bulk-choose-list = Choose list…
bulk-no-list = No list chosen
bulk-template = Template profile
bulk-template-none = (none)
bulk-concurrency = Checks at once
bulk-concurrency-invalid = a number from 1 to { $max }
bulk-start = Start
bulk-progress = { $done } of { $total } checked
bulk-ok-count = { $ok } ok
bulk-eta = about { $seconds } s left
bulk-finished = Done.
bulk-cancelled = Cancelled: the rows checked so far stay below; the rest were not checked.
bulk-summary-heading = Results per diagnosis
bulk-filter-all = All
bulk-column-line = Line
bulk-column-address = Address
bulk-column-server = Server
bulk-column-code = Result
bulk-column-time = Time
bulk-export = Export report…
bulk-copy = Copy as text
bulk-exported = Report written to { $file }
ms-value = { $ms } ms
check-waterfall = Where the time went
check-waterfall-total = { $ms } ms in all
path-prompt-bulk-list = The list of mailboxes (CSV or TSV)
path-prompt-bulk-report = The report file (.html, .csv or .json)
cli-bulk--password-command = For rows without a password: a program run with the row's address as its last argument; the first line it prints is the password
cli-bulk-password-command = --password-command: { $reason }
cli-bulk-progress = { $done }/{ $total } · ok { $ok } · problems { $problems } · about { $left } s left
bulk-password-command-empty = the password command is empty
bulk-password-command-start = cannot start the password command { $program }: { $reason }
bulk-password-command-timeout = the password command { $program } gave no password within { $secs } s
bulk-password-command-failed = the password command { $program } failed ({ $status })
bulk-password-command-nothing = the password command { $program } printed no password

# NTLM (issue 16)
auth-ntlm = Windows authentication (NTLM)
check-ntlm-identity = NTLM signs in as user “{ $user }” in domain “{ $domain }”
check-ntlm-identity-no-domain = NTLM signs in as user “{ $user }” with no domain (the server takes its own)

# The SMTP tab's OAuth sign-in (issue 13)
field-oauth = Sign-in
oauth-signed-in = Signed in as { $account } (token valid until { $until })
oauth-no-expiry = no expiry given
oauth-signed-out = Not signed in
oauth-state-unknown = Asking the keyring…
oauth-sign-in = Sign in
oauth-sign-out = Sign out
oauth-cancel = Cancel
oauth-waiting = Waiting for the browser: { $seconds } s left
oauth-needs-saved-profile = Save the profile first; the sign-in is kept in the keyring under its name.
oauth-random = The system gave no random numbers for the sign-in: { $reason }
check-ntlm-no-nonce = NTLM needs random numbers and the time from this computer, and it gave neither (no random source, or the clock is set before 1970).
check-apply-sign-in = Sign in instead
login-choice-sign-in = Sign in (OAuth 2.0)
login-choice-sign-in-google = Google account (sign in)
login-choice-sign-in-microsoft = Microsoft account (sign in)
login-choice-password = Password
login-choice-app-password = App password
login-choice-basic-password = Password (Basic, if your tenant still allows it)
login-choice-app-password-hint = An app password needs 2-Step Verification on the Google account: make one under Google Account → Security → App passwords, and type it as the password.
oauth-no-browser = The browser did not open ({ $reason }). Open this address in a browser on this computer:
oauth-copy-url = Copy the sign-in address
quick-or-log-in-with = Or, instead of signing in:
provider-oauth-register = To sign in, register an application with the provider once: a public client (desktop or mobile app, no secret), the redirect address http://127.0.0.1 (any port), and the scopes below; enter its client id here, or deploy it in the system directory. Outbound ships no client id: one registered for another program may not be used.
provider-device-url = Device sign-in address
provider-tenant = Tenant (Microsoft)
spf-problem-not-spf1 = not a v=spf1 record
spf-problem-bad-term = “{ $what }” is not a valid term
spf-problem-redirect-twice = redirect= appears twice
spf-problem-no-domain = “{ $what }” names no domain
spf-problem-no-address = “{ $what }” names no address
spf-problem-bad-address = “{ $what }” has no valid address
spf-problem-other-family = “{ $what }” has an address of the other family
spf-problem-bad-prefix = “{ $what }” has a bad prefix length
spf-problem-bad-macro = “{ $what }” has a bad macro
spf-problem-several-records = { $what } publishes more than one v=spf1 record
spf-problem-too-many-void = more than { $limit } lookups found nothing (the last: { $name })
spf-problem-include-without-record = include:{ $what } has no SPF record
spf-problem-redirect-without-record = redirect={ $what } has no SPF record
spf-problem-too-many-mx = { $name } has more than { $limit } MX hosts
spf-problem-in-record = { $domain }: { $problem }

# Kerberos / GSSAPI (issue 16)
auth-gssapi = Windows authentication (Kerberos)
check-gssapi-unavailable = GSSAPI (Kerberos) is unavailable on this computer: the system's GSSAPI library could not be loaded ({ $reason }). On Debian and Ubuntu it is the package libgssapi-krb5-2.
check-gssapi-no-sspi = Kerberos through Windows' SSPI is not supported yet
check-gssapi-not-used = Kerberos not used: { $reason }
check-gssapi-signed-in = GSSAPI as { $client } to { $server }: { $reply }
diag-kerberos-no-ticket = { $found ->
    [expired] The Kerberos ticket has expired, so it cannot sign in to { $name } ({ $reply }).
    [none] There is no Kerberos ticket to sign in to { $name } with ({ $reply }).
   *[other] No Kerberos ticket for { $name } could be had ({ $reply }).
}
diag-kerberos-no-ticket-hint = Sign in to the domain again, or get a new ticket with kinit (klist shows the tickets held). Kerberos needs no password in the profile.
diag-kerberos-clock-skew = This computer's clock and the clock of { $host } or of the domain controller differ by more than Kerberos allows ({ $reply }).
diag-kerberos-clock-skew-hint = Set the clock right: turn on automatic time synchronisation (NTP). Kerberos allows about five minutes of difference.
diag-kerberos-unknown-server = The Kerberos realm knows no service principal { $name } ({ $reply }).
diag-kerberos-unknown-server-hint = The server's name must match its principal: enter the host name the server is registered under (usually its full name, not an IP address or an alias), or ask the administrator to register smtp/{ $host }.
send-not-queued = not sent ({ $reason }), and the queue could not keep it: { $error }
quick-directory-damaged = Your directory of providers cannot be read, so only the bundled entries were used: { $reason }

# The report of one check (`outbound check --report`), and its parts shared with the bulk report.
cli-check--report = Also write the report to this file: .html (one page that reads offline), .json or .csv
report-check-title = Outbound: check of { $target }
report-steps = Steps
bulk-report-rows = Mailboxes checked
oauth-needs-settings-folder = The sign-in needs the settings folder (for the provider directory), which could not be opened.
quick-save-no-store = Not saved: the settings folder could not be opened, so there is nowhere to keep a profile.
check-gssapi-layer-length = the server's GSSAPI security-layer message is not 4 octets long
check-gssapi-layer-required = the server requires a GSSAPI security layer, which Outbound does not offer (it relies on TLS instead)
check-gssapi-crashed = the system's GSSAPI library failed inside a call ({ $reason })
