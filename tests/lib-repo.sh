# Signed file:// Debian repositories for integration tests (sourced).
#
#   make_key KEYDIR [UID]            a throwaway ed25519 signing key: its GnuPG
#                                    home is KEYDIR/gnupg, its public keyring
#                                    (what Keyring= and gpgv read) KEYDIR/keyring.gpg
#   make_repo [-k KEYDIR] [-s SUITE] DIR DEB...
#                                    DIR/pool/main/*.deb, DIR/dists/SUITE/main/
#                                    binary-amd64/Packages(.xz), Release and a
#                                    signed InRelease; prints the keyring path.
#                                    A DEB given as FILE=PACKAGE is indexed as
#                                    PACKAGE 1.0 without reading it (for files
#                                    that are no .deb at all); any other DEB is
#                                    indexed from its own control file, as it is
#                                    (size and SHA256 of the file as given).
#   sign_repo DIR KEYDIR [SUITE]     (re)write Release and InRelease over the
#                                    current indexes (after a test altered them)
#   repo_spec NAME DIR KEYRING [SUITE]
#                                    the [Repository NAME] section for DIR
#   kill_keys                        stop the gpg-agents of every key made here
#                                    (call from the EXIT trap)
# Defaults: SUITE "test"; KEYDIR the last one make_key made.
# The functions return non-zero on any failure, also inside $(...), where
# set -e does not reach.

LIB_REPO_KEYS=()
LIB_REPO_LASTKEY=

make_key() { # KEYDIR [UID]
    local dir=$1 uid=${2:-mkdom0 test <test@invalid>}
    mkdir -p "$dir" || return 1
    mkdir -m 700 "$dir/gnupg" || return 1
    LIB_REPO_KEYS+=("$dir")
    gpg --homedir "$dir/gnupg" --batch --quiet --passphrase '' \
        --quick-gen-key "$uid" ed25519 sign never || return 1
    gpg --homedir "$dir/gnupg" --batch --export >"$dir/keyring.gpg" || return 1
    [ -s "$dir/keyring.gpg" ] || { echo "make_key: no key exported from $dir/gnupg" >&2; return 1; }
    chmod 644 "$dir/keyring.gpg"
    LIB_REPO_LASTKEY=$dir
}

kill_keys() {
    local d
    for d in "${LIB_REPO_KEYS[@]}"; do
        gpgconf --homedir "$d/gnupg" --kill all >/dev/null 2>&1 || true
    done
}

_repo_stanza() { # DEB[=PACKAGE] -> Packages stanza (the file is in pool/main)
    local f=${1%%=*} pkg=
    [ "$f" != "$1" ] && pkg=${1#*=}
    if [ -n "$pkg" ]; then
        printf 'Package: %s\nVersion: 1.0\nArchitecture: amd64\nDescription: not a .deb\n' "$pkg"
    else
        dpkg-deb -f "$f" || { echo "make_repo: $f: cannot read its control file" >&2; return 1; }
    fi
    echo "Filename: pool/main/$(basename "$f")"
    echo "Size: $(stat -c %s "$f")"
    echo "SHA256: $(sha256sum "$f" | cut -d' ' -f1)"
    echo
}

make_repo() { # [-k KEYDIR] [-s SUITE] DIR DEB...
    local key=$LIB_REPO_LASTKEY suite=test opt OPTIND=1
    while getopts k:s: opt; do
        case $opt in
        k) key=$OPTARG ;;
        s) suite=$OPTARG ;;
        *) return 2 ;;
        esac
    done
    shift $((OPTIND - 1))
    local r=$1 d f; shift
    [ -n "$key" ] || { echo "make_repo: no key (call make_key first)" >&2; return 2; }
    local idx=$r/dists/$suite/main/binary-amd64
    mkdir -p "$idx" "$r/pool/main" || return 1
    for d in "$@"; do
        cp "${d%%=*}" "$r/pool/main/" || return 1
    done
    : >"$idx/Packages"
    for d in "$@"; do
        f=$r/pool/main/$(basename "${d%%=*}")
        [ "$d" != "${d%%=*}" ] && f=$f=${d#*=}
        _repo_stanza "$f" >>"$idx/Packages" || return 1
    done
    xz -kf "$idx/Packages" || return 1
    sign_repo "$r" "$key" "$suite" || return 1
    echo "$key/keyring.gpg"
}

sign_repo() { # DIR KEYDIR [SUITE]
    local r=$1 key=$2 suite=${3:-test} f
    {
        echo "Origin: mkdom0-test"; echo "Suite: $suite"; echo "Codename: $suite"
        echo "Date: $(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S UTC')"
        echo "Architectures: amd64"; echo "Components: main"
        echo "SHA256:"
        for f in main/binary-amd64/Packages main/binary-amd64/Packages.xz; do
            printf ' %s %8d %s\n' "$(sha256sum "$r/dists/$suite/$f" | cut -d' ' -f1)" \
                "$(stat -c %s "$r/dists/$suite/$f")" "$f"
        done
    } >"$r/dists/$suite/Release" || return 1
    gpg --homedir "$key/gnupg" --batch --yes --quiet --clearsign \
        -o "$r/dists/$suite/InRelease" "$r/dists/$suite/Release"
}

repo_spec() { # NAME DIR KEYRING [SUITE]
    printf '[Repository %s]\nURL=file://%s\nSuite=%s\nComponents=main\nKeyring=%s\n' \
        "$1" "$2" "${4:-test}" "$3"
}
