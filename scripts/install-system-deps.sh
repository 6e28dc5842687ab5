#!/usr/bin/env bash
# Install the Debian packages the app needs.  Idempotent: does nothing when
# every package is already installed.
#
#   scripts/install-system-deps.sh          # what `make run` needs
#   scripts/install-system-deps.sh --test   # adds what the test suite needs
#
# As root it runs apt-get itself; otherwise it uses sudo when available, and
# else prints the packages to install and exits 1.
set -euo pipefail

with_test=0
for arg in "$@"; do
    case "$arg" in
        --test) with_test=1 ;;
        -h|--help)
            sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
            exit 0 ;;
        *) echo "install-system-deps: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

# PostgreSQL: postgresql-15 where the archive has it (Debian 12); otherwise the
# distribution's default major, i.e. the postgresql-NN the `postgresql`
# metapackage depends on (e.g. postgresql-17 on Debian 13).
PG_PREFERRED=15

# Print the candidate version of package $1; nothing when there is none.
apt_candidate() {
    apt-cache policy "$1" 2>/dev/null \
        | awk '$1 == "Candidate:" && $2 != "(none)" { print $2; exit }'
}

pg_major() {
    local major
    if [ -n "$(apt_candidate "postgresql-$PG_PREFERRED")" ]; then
        echo "$PG_PREFERRED"
        return
    fi
    major=$(apt-cache depends postgresql 2>/dev/null \
        | sed -n 's/^ *Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -n 1 || true)
    # Unknown (e.g. no package lists yet): keep the preferred one for now;
    # it is resolved again after `apt-get update`.
    echo "${major:-$PG_PREFERRED}"
}

# Fill `packages` and `missing` (those of `packages` not installed).
compute_missing() {
    local pkg status major
    packages=()

    # Debian splits venv/ensurepip out of the standard library.
    if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
        packages+=(python3-venv)
    fi

    # WeasyPrint (meeting report PDFs, served by `make run` too) needs pango and a font.
    packages+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

    if [ "$with_test" = 1 ]; then
        major=$(pg_major)
        packages+=(
            redis-server
            "postgresql-$major" "postgresql-$major-postgis-3"
            chromium
            poppler-utils
            procps  # pkill/ps: scripts/stack.sh stops a killed worker's whole process group
        )
    fi

    missing=()
    for pkg in "${packages[@]}"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
        if [ "$status" != "installed" ]; then
            missing+=("$pkg")
        fi
    done
}

compute_missing
if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-system-deps: all system packages present"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "install-system-deps: missing Debian packages, and not root and no sudo." >&2
    echo "Please run as root:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

# Run an apt-get command, waiting (up to about 5 minutes) while another
# apt/dpkg process holds the lock.
apt_run() {
    local log deadline rc
    log=$(mktemp)
    deadline=$((SECONDS + 300))
    while :; do
        set +e
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get -o DPkg::Lock::Timeout=60 "$@" 2>&1 | tee "$log"
        rc=${PIPESTATUS[0]}
        set -e
        if [ "$rc" -eq 0 ]; then
            rm -f "$log"
            return 0
        fi
        if grep -qiE 'could not get lock|unable to acquire|is another process using it' "$log" \
            && [ "$SECONDS" -lt "$deadline" ]; then
            echo "install-system-deps: apt/dpkg is locked by another process; waiting 10 s and retrying..." >&2
            sleep 10
            continue
        fi
        rm -f "$log"
        return "$rc"
    done
}

apt_run update
# Fresh package lists: resolve the PostgreSQL major again.
compute_missing
if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-system-deps: all system packages present"
    exit 0
fi
echo "install-system-deps: installing ${missing[*]}"
apt_run install -y --no-install-recommends "${missing[@]}"
echo "install-system-deps: done"
