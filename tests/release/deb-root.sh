#!/bin/sh
# deb-root.sh ROOT PACKAGE...: a fresh Debian root holding exactly PACKAGE
# and what they depend on, recursively, as this machine has them installed:
# their files (dpkg -L) and their dpkg status, plus the merged-/usr links a
# Debian base system makes (bin, lib, lib64, sbin -> usr/...). No other
# file of the host is there, so a program run in it with chroot finds only
# what its package's Depends bring. Needs dpkg-query; prints the packages.
set -eu
root=$1
shift
mkdir -p "$root/usr/bin" "$root/usr/lib" "$root/usr/lib64" "$root/usr/sbin" \
	"$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/tmp"
for d in bin lib lib64 sbin; do
	[ -e "$root/$d" ] || ln -s "usr/$d" "$root/$d"
done
: >"$root/var/lib/dpkg/status"
todo="$*"
done_list=" "
while [ -n "$todo" ]; do
	# shellcheck disable=SC2086 # a list of package names, one a word
	set -- $todo
	p=$1
	shift
	todo="$*"
	case "$done_list" in *" $p "*) continue ;; esac
	done_list="$done_list$p "
	dpkg-query -s "$p" >>"$root/var/lib/dpkg/status"
	echo >>"$root/var/lib/dpkg/status"
	dpkg -L "$p" >"$root/var/lib/dpkg/info/$(dpkg-query -W -f='${binary:Package}' "$p").list"
	# Files and links only; directories come with them. Paths below a
	# merged-/usr link land in usr/ through the links made above.
	dpkg -L "$p" | while IFS= read -r f; do
		if [ -f "$f" ] || [ -L "$f" ]; then
			mkdir -p "$root$(dirname "$f")"
			cp -a "$f" "$root$f"
		fi
	done
	echo "$p"
	# Depends and Pre-Depends: first alternative, no version or arch.
	deps=$(dpkg-query -W -f='${Pre-Depends}, ${Depends}' "$p" |
		tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/:any//; s/[[:space:]]//g' | grep -v '^$' || true)
	todo="$todo $deps"
done
