#!/usr/bin/env bash
# Puts a second JDK 21+ build, Debian's OpenJDK 21, beside the machine's own, for CrossJvmDeterminismTest
# (docs/determinism.md): the chain's digests must come out the same on a JVM of another vendor and version.
#   tools/install-second-jdk.sh [DEST]      (default /opt/maaschain/jdk21-debian; prints DEST/bin/java)
# Where the machine's apt sources have openjdk-21-jre-headless it is installed the ordinary way. Debian 12 (bookworm)
# has no OpenJDK 21, so there the packages of Debian 13 (trixie) are unpacked into DEST together with trixie's C library,
# and DEST/bin/java starts the JVM through that library's own loader. Nothing of the system is replaced: apt's own
# sources, lists and cache are not touched. Idempotent; quick when DEST already works.
set -euo pipefail
dest=${1:-/opt/maaschain/jdk21-debian}

if [[ -x "$dest/bin/java" ]] && "$dest/bin/java" -version >/dev/null 2>&1; then
    echo "$dest/bin/java"
    exit 0
fi
if apt-cache policy openjdk-21-jre-headless 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-21-jre-headless >&2
    mkdir -p "$dest/bin"
    ln -sf /usr/lib/jvm/java-21-openjdk-amd64/bin/java "$dest/bin/java"
    echo "$dest/bin/java"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
echo 'deb http://deb.debian.org/debian trixie main' >"$work/sources.list"
apt_opts=(-o Dir::Etc::sourcelist="$work/sources.list" -o Dir::Etc::sourceparts=/dev/null
          -o Dir::State::Lists="$work/lists" -o Dir::Cache="$work/cache" -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" update -qq >&2
(cd "$work/debs" && apt-get "${apt_opts[@]}" download openjdk-21-jre-headless libc6 libstdc++6 libgcc-s1 zlib1g >&2)

rm -rf "$dest"
mkdir -p "$dest/root" "$dest/bin"
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$dest/root"; done
# The JDK's conf files are absolute links into /etc/java-21-openjdk; point them at the unpacked copy instead.
find "$dest/root/usr/lib/jvm" -type l -lname '/*' | while read -r link; do
    target=$(readlink "$link")
    if [[ -e "$dest/root$target" ]]; then ln -sfn "$dest/root$target" "$link"; fi
done
cat >"$dest/bin/java" <<'WRAPPER'
#!/bin/sh
# Debian 13's OpenJDK 21, started through Debian 13's own C library (see tools/install-second-jdk.sh).
root=$(cd "$(dirname "$0")/../root" && pwd)
jdk=$root/usr/lib/jvm/java-21-openjdk-amd64
libs=$root/usr/lib/x86_64-linux-gnu
exec "$libs/ld-linux-x86-64.so.2" --library-path "$libs:$jdk/lib:$jdk/lib/server" "$jdk/bin/java" "$@"
WRAPPER
chmod +x "$dest/bin/java"
"$dest/bin/java" -version >&2
echo "$dest/bin/java"
