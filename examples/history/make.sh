#!/bin/sh
# Builds a git repository whose history is the fictional Fjordby plan (examples/fjordby) as it
# grew from the first draft in November 2019 to the plan as it is today:
#
#   examples/history/make.sh [DIR]      # DIR must be new or empty; default: a new temporary dir
#
# - a draft, a hearing, and the plan adopted by the committee on 10 December 2019 (tag
#   `vedtaget`, annotated);
# - from then on the day-by-day work of six people: updates and finished milestones by each
#   initiative's owner, ledger rows by the finance officer, survey waves by HR, criteria by the
#   coordinator; two initiatives added by later committee decisions;
# - milestone I6-M2 moved twice (2021-12-31 → 2022-06-30 → 2022-12-31), I5-M2 once;
# - an annotated tag before each quarterly committee meeting (`udvalg-2020-03` … `udvalg-2023-12`):
#   the plan as the committee was shown it;
# - a commit that touches only README.md, outside the plan folder.
#
# Every state is today's files filtered to what existed on that day (filter.awk): updates,
# `done` and `achieved` dated later are left out, ledger rows dated later too, survey files and
# their [[survey]] until their date; plus the earlier values in OVERRIDES below. The last commit
# is byte for byte examples/fjordby (checked at the end), so the repository's work tree is the
# example plan and `plan --plan plan …` in it gives what the tests expect of examples/fjordby.
#
# Commit ids are reproducible: fixed names, e-mails and dates (Europe/Copenhagen offsets), no
# user or system git configuration. Needs git ≥ 2.32 and a POSIX shell and awk.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../fjordby" && pwd)

target=${1:-}
if [ -z "$target" ]; then
    target=$(mktemp -d "${TMPDIR:-/tmp}/fjordby-history.XXXXXX")
elif [ -e "$target" ]; then
    if [ ! -d "$target" ] || [ -n "$(ls -A "$target")" ]; then
        echo "make.sh: $target exists and is not an empty directory; give a new or empty one" >&2
        exit 2
    fi
fi
mkdir -p "$target"
target=$(cd "$target" && pwd)

export LC_ALL=C
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_TERMINAL_PROMPT=0
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL 2>/dev/null || true

# Earlier values: file|item id (`-`: before the first table)|key|value|in force until (exclusive).
OVERRIDES='
plan.toml|platform|amount|2000000|2019-12-10
plan.toml|-|ledger|["ledger.csv"]|2021-06-15
initiatives/05-datavarehus.toml|I5-M2|due|2022-06-30|2022-04-01
initiatives/06-skolenetvaerk.toml|I6-M2|due|2021-12-31|2021-02-20
initiatives/06-skolenetvaerk.toml|I6-M2|due|2022-06-30|2022-05-01
'
export OVERRIDES

# Plan files that are not there from the first draft: file|the day they were added.
ADDED='
initiatives/10-cybersikkerhed.toml|2019-11-26
initiatives/08-velfaerdsteknologi.toml|2021-06-22
initiatives/09-kunstig-intelligens.toml|2022-06-14
'

# Messages of the commits that no rule below names (and the start of a new initiative's): day|message.
MESSAGES='
2019-11-12|Udkast til Digitaliseringsplan 2020-2023 (sendt i høring)
2019-11-26|Høringssvar indarbejdet
2019-12-10|Vedtaget af Økonomiudvalget 10.12.2019, pkt. 4: budgettet til selvbetjeningsplatformen hævet til 2,4 mio. kr.
2021-06-15|Økonomiafdelingens eksport af posteringer læses med (okonomi/*.csv)
2021-06-22|Økonomiudvalget 22.06.2021
2022-06-14|Økonomiudvalget 14.06.2022
'

# Quarterly status meetings of Økonomiudvalget: the plan is tagged the morning of the meeting.
MEETINGS='2020-03-10 2020-06-16 2020-09-15 2020-12-08 2021-03-09 2021-06-22 2021-09-14 2021-12-07
2022-03-15 2022-06-14 2022-09-13 2022-12-06 2023-03-14 2023-06-13 2023-09-12 2023-12-12'

# A commit outside the plan folder.
README_DAY=2021-01-05

coordinator='Mette Lund|mette.lund@fjordby.example'
finance='Karin Holm|karin.holm@fjordby.example'
analyst='Anders Vang|anders.vang@fjordby.example'

# The person who writes an initiative's updates, by its owner.
owner_person() {
    case $(sed -n 's/^owner = "\(.*\)"$/\1/p' "$1") in
        "Center for Borgerservice") echo 'Jonas Berg|jonas.berg@fjordby.example' ;;
        "Center for Økonomi") echo "$finance" ;;
        "Center for HR") echo 'Sofie Dahl|sofie.dahl@fjordby.example' ;;
        "Center for Sundhed og Omsorg") echo 'Hanne Krogh|hanne.krogh@fjordby.example' ;;
        "Center for Skole og Ungdom") echo 'Peter Lind|peter.lind@fjordby.example' ;;
        *) echo "$coordinator" ;;
    esac
}

# Day of the week, 0 = Sunday (Sakamoto).
dow() {
    y=$1 m=$2 d=$3
    case $m in 1) t=0 ;; 2) t=3 ;; 3) t=2 ;; 4) t=5 ;; 5) t=0 ;; 6) t=3 ;; 7) t=5 ;; 8) t=1 ;; 9) t=4 ;; 10) t=6 ;; 11) t=2 ;; 12) t=4 ;; esac
    [ "$m" -lt 3 ] && y=$((y - 1))
    echo $(((y + y / 4 - y / 100 + y / 400 + t + d) % 7))
}

# Copenhagen's offset on a day (summer time from the last Sunday of March to the last of October).
offset() {
    y=${1%%-*} m=${1#*-} d=${1##*-}
    m=${m%-*} m=${m#0} d=${d#0}
    mar=$((31 - $(dow "$y" 3 31))) oct=$((31 - $(dow "$y" 10 31)))
    if [ "$m" -gt 3 ] && [ "$m" -lt 10 ] || { [ "$m" -eq 3 ] && [ "$d" -ge "$mar" ]; } ||
        { [ "$m" -eq 10 ] && [ "$d" -lt "$oct" ]; }; then
        echo +0200
    else
        echo +0100
    fi
}

git_() { git -C "$target" -c core.autocrlf=false -c core.safecrlf=false -c commit.gpgsign=false -c tag.gpgsign=false "$@"; }

hour=9
# commit DAY "Name|email" MESSAGE: commit what is staged, at the next hour of DAY.
commit() {
    hour=$((hour + 1))
    stamp="$1T$(printf %02d $hour):00:00 $(offset "$1")"
    GIT_AUTHOR_NAME=${2%%|*} GIT_AUTHOR_EMAIL=${2#*|} GIT_AUTHOR_DATE=$stamp \
        GIT_COMMITTER_NAME=${2%%|*} GIT_COMMITTER_EMAIL=${2#*|} GIT_COMMITTER_DATE=$stamp \
        git_ commit -q --no-verify -m "$3"
}

# The plan folder as it stood on DAY, written to DIR.
state() {
    day=$1 dir=$2 cut=$(echo "$1" | tr -d -)
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$src" && find . -type f | sort) | while read -r f; do
        f=${f#./}
        added=$(printf '%s\n' "$ADDED" | sed -n "s#^$f|##p")
        if [ -n "$added" ] && [ "$(echo "$added" | tr -d -)" -gt "$cut" ]; then continue; fi
        mkdir -p "$dir/$(dirname "$f")"
        case $f in
            *.toml) awk -v mode=toml -v cut="$cut" -v file="$f" -f "$here/filter.awk" "$src/$f" >"$dir/$f" ;;
            ledger.csv | okonomi/*.csv)
                awk -v mode=csv -v cut="$cut" -f "$here/filter.awk" "$src/$f" >"$dir/$f"
                # An export with no row yet does not exist yet.
                case $f in okonomi/*) [ "$(wc -l <"$dir/$f")" -gt 1 ] || rm "$dir/$f" ;; esac ;;
            *) cp -p "$src/$f" "$dir/$f" ;;
        esac
    done
    # A survey file exists from the day its [[survey]] does.
    for f in "$dir"/surveys/*.csv; do
        [ -e "$f" ] || continue
        grep -q "^file = \"surveys/${f##*/}\"" "$dir/plan.toml" || rm "$f"
    done
}

# Every day something happened: dates in the plan's files and the tables above.
days() {
    {
        # `date`, `done` and `achieved` in the TOML files, the first field of ledger rows.
        grep -h '^date *=\|^done *=\|^achieved *=' "$src"/plan.toml "$src"/initiatives/*.toml |
            grep -o '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
        cat "$src"/ledger.csv "$src"/okonomi/*.csv | cut -c1-10 |
            sed -n 's/^\([0-9][0-9]\)[-.]\([0-9][0-9]\)[-.]\([0-9][0-9][0-9][0-9]\)$/\3-\2-\1/p; /^[0-9-]\{10\}$/p'
        printf '%s\n' "$OVERRIDES" "$ADDED" | cut -s -d'|' -f5,2 | tr '|' '\n' | grep '^[0-9]'
        printf '%s\n' "$MESSAGES" | cut -s -d'|' -f1
        printf '%s\n' $MEETINGS "$README_DAY"
    } | grep '^20' | sort -u
}

message_for() { printf '%s\n' "$MESSAGES" | sed -n "s/^$1|//p"; }

readme() {
    cat <<'EOF'
# Digitaliseringsplan for Fjordby Kommune 2020-2023

FIKTIVT EKSEMPEL. Planen ligger i `plan/` og læses med værktøjet `plan`.
EOF
    if [ "$1" -ge "$(echo $README_DAY | tr -d -)" ]; then
        cat <<'EOF'

Sådan ser du, hvor planen står, og hvad der er sket siden sidste udvalgsmøde:

    plan status
    plan diff udvalg-2022-03 udvalg-2022-06
EOF
    fi
}

git_ init -q -b main
first=2019-11-12

for day in $(days); do
    cut=$(echo "$day" | tr -d -)
    [ "$cut" -ge "$(echo "$first" | tr -d -)" ] || continue
    hour=9
    for m in $MEETINGS; do
        if [ "$m" = "$day" ] && git_ rev-parse -q --verify HEAD >/dev/null; then
            stamp="${day}T09:00:00 $(offset "$day")"
            GIT_COMMITTER_NAME=${coordinator%%|*} GIT_COMMITTER_EMAIL=${coordinator#*|} GIT_COMMITTER_DATE=$stamp \
                git_ tag -a "udvalg-${day%-*}" -m "Status til Økonomiudvalgets møde ${day}"
        fi
    done

    state "$day" "$target/plan"
    readme "$cut" >"$target/README.md"

    if ! git_ rev-parse -q --verify HEAD >/dev/null; then
        git_ add -A
        commit "$day" "$coordinator" "$(message_for "$day")"
        continue
    fi
    [ -n "$(git_ status --porcelain)" ] || continue

    # The finance officer's ledger rows.
    git_ add -A plan/ledger.csv plan/okonomi 2>/dev/null || git_ add -A plan/ledger.csv
    if ! git_ diff --cached --quiet; then
        rows=$(git_ diff --cached --numstat | awk '{ n += $1 - $2 } END { print n }')
        [ "$rows" = 1 ] && lines="1 linje" || lines="$rows linjer"
        commit "$day" "$finance" "Bogføring til og med $day ($lines)"
    fi

    # Each initiative's owner.
    for rel in $(git_ status --porcelain -- plan/initiatives | cut -c4-); do
        f=$target/$rel
        git_ add -A "$rel"
        id=$(sed -n 's/^id = "\(.*\)"$/\1/p' "$f" | head -n 1)
        if ! git_ cat-file -e "HEAD:$rel" 2>/dev/null; then
            msg=$(message_for "$day")
            msg="${msg:+$msg: }Ny indsats $id: $(sed -n 's/^title = "\(.*\)"$/\1/p' "$f" | head -n 1)"
        else
            msg=$(awk -v d="$day" -v id="$id" '
                /^\[\[/ { item = $0; mid = "" }
                item == "[[milestone]]" && /^id = / { mid = $3; gsub(/"/, "", mid) }
                item == "[[milestone]]" && $0 == "done = " d { out = out sep mid " nået"; sep = "; " }
                item == "[[update]]" && $0 == "date = " d { upd = 1 }
                upd && /^status = / { st = $3; gsub(/"/, "", st) }
                upd && /^note = / { n = $0; sub(/^note = "/, "", n); sub(/"$/, "", n); sub(/\.$/, "", n);
                                    out = st ": " n (out == "" ? "" : "; " out); upd = 0 }
                END { print id ": " out }' "$f")
            moved=$(git_ diff --cached -U0 -- "$rel" | sed -n 's/^+due = \(.*\)$/\1/p')
            for due in $moved; do
                mid=$(printf '%s\n' "$OVERRIDES" | grep "^initiatives/${f##*/}|" | grep "|$day\$" | cut -d'|' -f2 | head -n 1)
                msg="$msg; ny frist for $mid: $due"
            done
            msg=$(echo "$msg" | sed 's/: ; /: /; s/: $//')
        fi
        commit "$day" "$(owner_person "$f")" "$msg"
    done

    # plan.toml and the survey files: HR for a survey wave, else the coordinator.
    git_ add -A plan
    if ! git_ diff --cached --quiet; then
        wave=$(git_ diff --cached --name-only --diff-filter=A -- plan/surveys | head -n 1)
        crit=$(awk -v d="$day" '/^\[\[/ { id = "" } /^id = / { id = $3; gsub(/"/, "", id) }
                index($0, "achieved = { date = " d) == 1 { print id }' "$target/plan/plan.toml")
        if [ -n "$wave" ]; then
            commit "$day" "$analyst" "Trivselsmåling indlæst: ${wave#plan/}"
        elif [ -n "$crit" ]; then
            commit "$day" "$coordinator" "Succeskriterium $crit opnået"
        else
            msg=$(message_for "$day")
            commit "$day" "$coordinator" "${msg:-Planen opdateret}"
        fi
    fi

    git_ add -A README.md
    if ! git_ diff --cached --quiet; then
        commit "$day" "$coordinator" "README: sådan ser du planens status og ændringer"
    fi

    if [ "$day" = 2019-12-10 ]; then
        stamp="${day}T16:00:00 $(offset "$day")"
        GIT_COMMITTER_NAME=${coordinator%%|*} GIT_COMMITTER_EMAIL=${coordinator#*|} GIT_COMMITTER_DATE=$stamp \
            git_ tag -a vedtaget -m "Digitaliseringsplanen som vedtaget af Økonomiudvalget 10.12.2019"
    fi
done

# The last commit is the example plan, byte for byte.
if ! diff -r "$src" "$target/plan" >/dev/null || [ -n "$(git_ status --porcelain)" ]; then
    echo "make.sh: the last commit is not examples/fjordby (a date or override above no longer fits the files)" >&2
    diff -r "$src" "$target/plan" >&2 || true
    exit 1
fi

echo "$target: $(git_ rev-list --count HEAD) commits, tags: $(git_ tag | tr '\n' ' ')"
