# %preun: on the last removal ($1 = 0, not on upgrade), withdraw the alternative
# and the link that %post made.
if [ "$1" = 0 ]; then
    if command -v alternatives >/dev/null 2>&1; then
        alternatives --remove mta /usr/bin/outbound-sendmail || true
    fi
    rm -f /usr/bin/outbound-sendmail
fi
exit 0
