#!/usr/bin/env bash
# Installs a feedfold .deb on this machine and checks it as an operator would
# meet it: the files and the conffile, the feedfold user and its state folder,
# `systemd-analyze verify` on the installed units, a cycle run as the feedfold
# user on the packaged config, then removal and purge. Run as root, on a
# machine where feedfold may be installed and purged (CI does).
# Usage: packaging/check-deb.sh target/debian/feedfold_<version>_<arch>.deb
set -euo pipefail
deb=$1
cd "$(dirname "$0")/.."

fail() { echo "check-deb: $*" >&2; exit 1; }
step() { printf -- '-- %s\n' "$*"; }
[ "$(id -u)" = 0 ] || fail "must run as root (dpkg -i)"

step "contents of $deb"
dpkg-deb --info "$deb"
dpkg-deb --contents "$deb"

step "install"
dpkg --purge feedfold >/dev/null 2>&1 || true
dpkg -i "$deb"

step "feedfold --version"
version=$(dpkg-deb --field "$deb" Version)
installed=$(feedfold --version)
echo "$installed"
[ "$installed" = "feedfold ${version%%-*}" ] || fail "feedfold --version says '$installed', the package is $version"

step "installed files"
units=(feedfold.service feedfold-run.service feedfold-run.timer)
unit_dir=$(dirname "$(dpkg -L feedfold | grep '/systemd/system/feedfold.service$')")
man_pages=(/usr/share/man/man1/feedfold.1.gz /usr/share/man/man1/feedfold-run.1.gz
  /usr/share/man/man1/feedfold-serve.1.gz /usr/share/man/man1/feedfold-sources-import.1.gz)
contents=$(dpkg-deb --contents "$deb")
for page in "${man_pages[@]}"; do
  grep -q " \.$page\$" <<<"$contents" || fail "$page is not in the package"
done
# Minimal images tell dpkg to leave man pages out; the pages are then read from the .deb.
verify_man=yes
if grep -qs '^path-exclude.*/usr/share/man' /etc/dpkg/dpkg.cfg.d/*; then
  echo "dpkg leaves out /usr/share/man here: man pages checked in the package only"
  verify_man=no
  man_pages=()
fi
page=$(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/share/man/man1/feedfold.1.gz | gunzip |
  MANWIDTH=80 man -l -)
grep -q '^SYNOPSIS' <<<"$page" || fail "feedfold.1 does not render"
for file in /usr/bin/feedfold /etc/feedfold/config.toml "${man_pages[@]}" \
  /usr/share/bash-completion/completions/feedfold /usr/share/zsh/vendor-completions/_feedfold \
  /usr/share/fish/vendor_completions.d/feedfold.fish /usr/lib/sysusers.d/feedfold.conf \
  /usr/share/doc/feedfold/copyright "${units[@]/#/$unit_dir/}"; do
  [ -s "$file" ] || fail "$file is missing or empty"
done
conffiles=$(dpkg-query --showformat='${Conffiles}\n' --show feedfold)
grep -q ' /etc/feedfold/config.toml ' <<<"$conffiles" || fail "/etc/feedfold/config.toml is not a conffile"
bash -n /usr/share/bash-completion/completions/feedfold
# The binary is stripped: its debug symbols are the -dbgsym package's.
sections=$(readelf --wide --section-headers /usr/bin/feedfold)
! grep -qE '\.debug_(info|line|str|loc|ranges)' <<<"$sections" ||
  fail "/usr/bin/feedfold carries debug sections"
name=$(basename "$deb" .deb)
dbgsym=$(dirname "$deb")/feedfold-dbgsym_${name#feedfold_}.ddeb
dbgsym_contents=$(dpkg-deb --contents "$dbgsym")
grep -q '/usr/lib/debug/\.build-id/.*\.debug$' <<<"$dbgsym_contents" ||
  fail "$dbgsym holds no debug symbols"

step "the feedfold user and its state folder"
entry=$(getent passwd feedfold) || fail "no feedfold user"
echo "$entry"
IFS=: read -r _ _ uid _ _ home shell <<<"$entry"
[ "$uid" -lt 1000 ] || fail "feedfold is not a system user (uid $uid)"
[ "$home" = /var/lib/feedfold ] || fail "feedfold's home is $home"
[ "$shell" = /usr/sbin/nologin ] || fail "feedfold's shell is $shell"
for dir in /var/lib/feedfold /var/lib/feedfold/dumps; do
  [ "$(stat -c %U:%G "$dir")" = feedfold:feedfold ] || fail "$dir is not owned by feedfold"
done
# Installing starts nothing: the operator enables serve or the timer.
for unit in feedfold.service:disabled feedfold-run.timer:disabled feedfold-run.service:static; do
  state=$(systemctl is-enabled "${unit%%:*}" 2>/dev/null || true)
  [ "$state" = "${unit##*:}" ] || fail "${unit%%:*} is '$state' after installing, not ${unit##*:}"
done

step "systemd-analyze verify on the installed units"
complaints=$(cd "$unit_dir" && systemd-analyze verify --man="$verify_man" "${units[@]}" 2>&1) ||
  fail "systemd-analyze verify failed: $complaints"
[ -z "$complaints" ] || fail "systemd-analyze verify complained: $complaints"
echo "no complaint"

step "a cycle as the feedfold user on the packaged config"
install -o feedfold -g feedfold -m 0644 samples/*.txt /var/lib/feedfold/dumps/
runuser -u feedfold -- feedfold run --config /etc/feedfold/config.toml
feeds=(/var/lib/feedfold/feeds/news.rss /var/lib/feedfold/feeds/news.atom /var/lib/feedfold/feeds/news.json)
for feed in "${feeds[@]}"; do
  [ "$(stat -c %U "$feed")" = feedfold ] || fail "$feed was not written by feedfold"
done
[ "$(stat -c %U /var/lib/feedfold/feedfold.db)" = feedfold ] || fail "the store is not feedfold's"
python3 -c 'import json,sys; items=json.load(open(sys.argv[1]))["items"]; sys.exit(0 if items else "news.json has no items")' \
  /var/lib/feedfold/feeds/news.json
before=$(sha256sum "${feeds[@]}")
runuser -u feedfold -- feedfold run --quiet --config /etc/feedfold/config.toml
[ "$before" = "$(sha256sum "${feeds[@]}")" ] || fail "a second run changed the feeds"

step "remove: binary gone, config and state kept"
dpkg -r feedfold
[ ! -e /usr/bin/feedfold ] || fail "/usr/bin/feedfold is still there"
[ -e /etc/feedfold/config.toml ] || fail "removing lost the config"
[ -e /var/lib/feedfold/feedfold.db ] || fail "removing lost the store"

step "purge: config and state gone"
dpkg --purge feedfold
[ ! -e /etc/feedfold ] || fail "/etc/feedfold is still there after purge"
[ ! -e /var/lib/feedfold ] || fail "/var/lib/feedfold is still there after purge"
echo "check-deb: $deb installs, runs as feedfold, removes and purges cleanly"
