# %post: the outbound-sendmail link (cargo-generate-rpm cannot package a
# symbolic link) and the "mta" alternative that Fedora's postfix, sendmail and
# exim share for /usr/sbin/sendmail, at a low priority (5, below theirs) so an
# installed MTA stays the choice. `alternatives --set mta
# /usr/bin/outbound-sendmail` chooses Outbound. Failing to register must not
# fail the installation.
ln -sf outbound /usr/bin/outbound-sendmail
if command -v alternatives >/dev/null 2>&1; then
    alternatives --install /usr/sbin/sendmail mta /usr/bin/outbound-sendmail 5 ||
        echo "outbound: could not register /usr/bin/outbound-sendmail as the mta alternative" >&2
fi
exit 0
