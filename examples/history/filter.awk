# The plan as it stood on day `cut` (YYYYMMDD), from the plan as it is today (see make.sh).
#
#   awk -v mode=toml -v cut=20210615 -v file=initiatives/06-skolenetvaerk.toml \
#       -f filter.awk FILE          (overrides in the environment: OVERRIDES)
#   awk -v mode=csv  -v cut=20210615 -f filter.awk FILE
#
# toml: drops every [[update]] and [[survey]] item dated after `cut`, with the comment lines
#       directly above it; drops `done = DATE` and `achieved = { date = DATE, … }` lines dated
#       after `cut`; applies the overrides in force on `cut` (table rows
#       `file|item id|key|value|until`, the earliest `until` after `cut` wins; `-` is the part
#       before the first table). An override that matches no line is an error (exit 3).
# csv:  drops the records (quoted fields may span lines) whose first field is a date after
#       `cut`; YYYY-MM-DD, DD-MM-YYYY and DD.MM.YYYY; the header is kept.
# Lines are copied byte for byte (CRLF and Windows-1252 included). POSIX awk.

function day(s,    y, m, d) {
    if (s ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]/)
        return substr(s, 1, 4) substr(s, 6, 2) substr(s, 9, 2)
    if (s ~ /^[0-9][0-9][-.][0-9][0-9][-.][0-9][0-9][0-9][0-9]/)
        return substr(s, 7, 4) substr(s, 4, 2) substr(s, 1, 2)
    return ""
}
function quotes(s,    t) { t = s; return gsub(/"/, "", t) }
function value_after(line, key,    s) {
    s = line
    sub("^" key "[ ]*=[ ]*", "", s)
    sub(/^\{[ ]*date[ ]*=[ ]*/, "", s)
    gsub(/"/, "", s)
    return s
}

BEGIN {
    n_ov = 0
    rows = split(ENVIRON["OVERRIDES"], row, "\n")
    for (r = 1; r <= rows; r++) {
        if (row[r] == "" || row[r] ~ /^#/) continue
        split(row[r], f, "|")
        if (f[1] != file) continue
        until = day(f[5])
        if (until <= cut) continue
        k = f[2] SUBSEP f[3]
        if (!(k in ov_until) || until < ov_until[k]) { ov_until[k] = until; ov_value[k] = f[4] }
    }
}

mode == "csv" {
    if (pending != "") { rec = rec "\n" $0 } else { rec = $0 }
    pending = ""
    if (quotes(rec) % 2 == 1) { pending = "x"; next }
    nrec++
    d = day(rec)
    if (nrec == 1 || d == "" || d <= cut) print rec
    rec = ""
    next
}

mode == "toml" { line[++n] = $0 }

END {
    if (mode != "toml") exit 0
    # Item starts: a table header, with the comment lines directly above it.
    starts = 0
    for (i = 1; i <= n; i++) {
        if (line[i] ~ /^\[/) {
            s = i
            while (s > 1 && line[s - 1] ~ /^#/) s--
            start[++starts] = s
        }
    }
    start[starts + 1] = n + 1
    out = 0
    # The part before the first table (item id "-"), then each item.
    for (it = 0; it <= starts; it++) {
        from = (it == 0) ? 1 : start[it]
        to = start[it + 1] - 1
        if (it == 0 && starts == 0) to = n
        id = "-"; date = ""; header = ""
        if (it > 0) {
            for (i = from; i <= to; i++) {
                if (header == "" && line[i] ~ /^\[/) header = line[i]
                if (id == "-" && line[i] ~ /^id[ ]*=/) id = value_after(line[i], "id")
                if (date == "" && line[i] ~ /^date[ ]*=/) date = day(value_after(line[i], "date"))
            }
        }
        if ((header == "[[update]]" || header == "[[survey]]") && date != "" && date > cut) continue
        for (i = from; i <= to; i++) {
            l = line[i]
            if (l ~ /^done[ ]*=/ && day(value_after(l, "done")) > cut) continue
            if (l ~ /^achieved[ ]*=/ && day(value_after(l, "achieved")) > cut) continue
            if (match(l, /^[A-Za-z_-]+[ ]*=/)) {
                key = substr(l, 1, RLENGTH - 1); sub(/[ ]+$/, "", key)
                k = id SUBSEP key
                if (k in ov_until) { l = key " = " ov_value[k]; used[k] = 1 }
            }
            kept[++out] = l
        }
    }
    while (out > 0 && kept[out] == "") out--
    for (i = 1; i <= out; i++) print kept[i]
    for (k in ov_until) if (!(k in used)) {
        split(k, p, SUBSEP)
        printf "filter.awk: %s: no `%s` in item `%s` to override\n", file, p[2], p[1] > "/dev/stderr"
        exit 3
    }
}
