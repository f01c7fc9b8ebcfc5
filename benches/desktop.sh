# Sourced by benches/startup and benches/startup-order: the X server and the
# user configuration both run Outbound in.

# needs TOOL:PACKAGE...: installs the Debian packages of missing tools when
# root, else names them and exits.
needs() {
  local tool
  for tool in "$@"; do
    command -v "${tool%%:*}" >/dev/null 2>&1 && continue
    if [[ $(id -u) == 0 ]]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${tool##*:}" >/dev/null
    else
      echo "needs the Debian package ${tool##*:}" >&2
      exit 2
    fi
  done
}

# start_display SCRATCH: starts Xvfb, exports DISPLAY and sets xvfb_pid.
start_display() {
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$1/display" >/dev/null 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 600); do [[ -s $1/display ]] && break; sleep 0.05; done
  export DISPLAY=:$(head -n 1 "$1/display")
  for _ in $(seq 200); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.05; done
}

# prepare_home SCRATCH OUTBOUND: a configuration under SCRATCH with three
# profiles, as a real user's has, exported through the XDG variables.
prepare_home() {
  local home=$1/home
  mkdir -p "$home/config" "$home/data" "$home/system"
  export XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data OUTBOUND_SYSTEM_DIR=$home/system OUTBOUND_LANG=en
  printf 'format = 1\n[[profile]]\nname = "a"\n[[profile]]\nname = "b"\ndelivery = "smtp"\n[profile.smtp]\nhost = "smtp.example.org"\n[[profile]]\nname = "c"\n' >"$1/p.toml"
  "$2" profile import "$1/p.toml" >/dev/null
}

# order_coverage OUTBOUND: "N of M": how many of the functions
# packaging/startup-order.txt lists the binary's symbol table holds.
order_coverage() {
  nm --defined-only "$1" 2>/dev/null | awk '
    NR == FNR { if ($0 !~ /^#/ && NF) listed[$1] = 1; next }
    ($3 in listed) { found[$3] = 1 }
    END { n = 0; for (name in found) n++; m = 0; for (name in listed) m++; print n " of " m }
  ' packaging/startup-order.txt -
}
