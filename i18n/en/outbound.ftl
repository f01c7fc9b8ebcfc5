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
man-env-log = What to log on standard error, as a tracing filter such as debug; the default is warn.
man-env-system-dir = Replaces the folder of system profiles, /etc/outbound/profiles.
man-env-config-home = The base of the user's configuration; profiles are kept under it in outbound/profiles.
man-file-user-profiles = The user's profiles, one TOML file each, mode 0600.
man-file-system-profiles = Profiles an administrator gives every user of the machine; read-only unless writable.
man-secrets = Passwords are never written to a file: they are kept in the system keyring (Secret Service on Linux) under the service outbound and the user profile:NAME.
