#!/bin/sh
# mkdeb.sh SGC MAN VERSION OUT.deb: the Debian package of sgc, with
# dpkg-deb alone (no debhelper): /usr/bin/sgc, sgc(1), bash and zsh
# completions, the docs and the stdlib sources for reading. Depends come
# from dpkg-shlibdeps (libc6, libjansson4, libyaml-0-2 with the versions
# their shlibs files give). Reproducible: every mtime is the last
# commit's time (SOURCE_DATE_EPOCH), owners root, modes fixed.
# Run from the top of the tree (make deb).
set -eu
sgc=${1:?usage: mkdeb.sh SGC MAN VERSION OUT.deb}
man=$2
version=$3
out=$4
arch=$(dpkg --print-architecture)
work=$(dirname "$out")/deb-work
root=$work/root
rm -rf "$work"
mkdir -p "$root/DEBIAN"

doc=$root/usr/share/doc/sgc
install -D -m 755 "$sgc" "$root/usr/bin/sgc"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/sgc"
install -d "$root/usr/share/man/man1"
gzip -9n <"$man" >"$root/usr/share/man/man1/sgc.1.gz"
install -D -m 644 completions/sgc.bash "$root/usr/share/bash-completion/completions/sgc"
install -D -m 644 completions/_sgc "$root/usr/share/zsh/vendor-completions/_sgc"
install -d "$doc"
install -m 644 README.md docs/*.md "$doc/"
for f in ${STDLIB:?the Makefile passes STDLIB}; do
	install -D -m 644 "$f" "$root/usr/share/sgc/$f"
done

epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
date_r=$(date -u -R -d "@$epoch")
# Debian's copyright file, machine-readable; the full text is in common-licenses.
cat >"$doc/copyright" <<EOT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: sgc

Files: *
Copyright: the sgc authors
License: Apache-2.0

License: Apache-2.0
 Licensed under the Apache License, Version 2.0 (the "License");
 you may not use this file except in compliance with the License.
 You may obtain a copy of the License at
 .
 http://www.apache.org/licenses/LICENSE-2.0
 .
 Unless required by applicable law or agreed to in writing, software
 distributed under the License is distributed on an "AS IS" BASIS,
 WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 See the License for the specific language governing permissions and
 limitations under the License.
 .
 On Debian systems, the full text of the Apache License, Version 2.0
 can be found in the file '/usr/share/common-licenses/Apache-2.0'.
EOT
printf 'sgc (%s) unstable; urgency=medium\n\n  * Release %s: see README.md.\n\n -- %s  %s\n' \
	"$version" "$version" "${DEB_MAINTAINER:-sgc maintainers <sgc@localhost>}" "$date_r" |
	gzip -9n >"$doc/changelog.gz"

# Depends: what dpkg-shlibdeps reads from the libraries' shlibs and symbols
# files; it wants a debian/control to read, so it gets a minimal one.
if command -v dpkg-shlibdeps >/dev/null; then
	mkdir -p "$work/debian"
	printf 'Source: sgc\n\nPackage: sgc\nArchitecture: any\n' >"$work/debian/control"
	depends=$(cd "$work" && dpkg-shlibdeps -O root/usr/bin/sgc 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
	rm -rf "$work/debian"
else
	echo "mkdeb: no dpkg-shlibdeps (package dpkg-dev): Depends without minimum versions" >&2
	depends="libc6, libjansson4, libyaml-0-2"
fi
case $depends in
*libjansson4*libyaml-0-2* | *libyaml-0-2*libjansson4*) ;;
*) echo "mkdeb: Depends \`$depends\` lacks libjansson4 or libyaml-0-2" >&2; exit 1 ;;
esac

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOT
Package: sgc
Version: $version
Architecture: $arch
Maintainer: ${DEB_MAINTAINER:-sgc maintainers <sgc@localhost>}
Installed-Size: $size
Depends: $depends
Section: devel
Priority: optional
Description: compiler from SageMaker environment descriptions to CloudFormation
 sgc compiles small .sgl files that describe isolated machine-learning
 environments on AWS SageMaker into CloudFormation templates, lifecycle
 scripts and remote-access helpers. Its checker refuses what would break or
 leak before anything is deployed: malformed or overlapping CIDR blocks,
 subnets outside their VPC, public subnets in an isolated network, missing
 VPC endpoints, over-broad IAM. Diagnostics come as text, JSON, SARIF or
 GitHub annotations.
EOT
(cd "$root" && find usr -type f | LC_ALL=C sort | xargs md5sum) >"$root/DEBIAN/md5sums"

find "$root" -type d -exec chmod 755 {} +
find "$root" -type f -exec chmod 644 {} +
chmod 755 "$root/usr/bin/sgc"
find "$root" -exec touch -h -d "@$epoch" {} +
SOURCE_DATE_EPOCH=$epoch dpkg-deb --root-owner-group -Zxz --build "$root" "$out.tmp" >/dev/null
mv "$out.tmp" "$out"
rm -rf "$work"
echo "$out"
