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

## Window
choose-profile = Choose a profile on the left, or make a new one.
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

## Directory and discovery
provider-bad-id = { $provider }: the id must be 1–64 characters of a–z, 0–9, "-" and "."
provider-no-name = { $provider }: the name is empty
provider-bad-host = { $provider }: { $field } is not a host name
provider-bad-port = { $provider }: { $field } is not a port
provider-imap-port = { $provider }: the IMAP port must be 143 or 993
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
