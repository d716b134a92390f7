#!/usr/bin/env python3
"""Independent verifier for draws of algorithms `supervision-draw/1` and `supervision-draw/2`.

Written from the specifications alone (docs/draw-algorithm-1.md for /1, docs/draw-algorithm.md for /2; Python 3
standard library only); the record's "algorithm" member chooses which.

    python3 tools/verify_draw.py RECORD.json [--expect-commitment HEX] [--expect-record HEX]

prints a line starting with MATCH and exits 0 when every check passes (for /2 without both published hashes the line
says the record is consistent but was not checked against them);
prints "MISMATCH: <part>: <free text>" and exits 1 at the first failed check (/2: section 10 order and failure
names; /1: draw-algorithm-1.md section 9 order, then expect.commitment after commitmentSha256);
prints "UNREADABLE: ..." on stderr and exits 2 when the record is not JSON or lacks a required member.
"""
import argparse
import datetime
import hashlib
import hmac
import json
import re
import sys
import unicodedata

ALGORITHM = "supervision-draw/1"
FILES = ("parameters", "targets", "exclusions", "inspectors", "conflicts", "quotas")
OUTPUTS = ("targets", "teams", "batches", "replacements")
# Unicode White_Space property (PropList.txt)
WHITE_SPACE = frozenset(
    [chr(c) for c in range(0x09, 0x0E)]
    + ["\u0020", "\u0085", "\u00a0", "\u1680"]
    + [chr(c) for c in range(0x2000, 0x200B)]
    + ["\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
)
HEX = frozenset("0123456789abcdef")


class Mismatch(Exception):
    pass


class Unreadable(Exception):
    pass


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def escape(field):
    return field.replace("%", "%25").replace("|", "%7C").replace("\n", "%0A").replace("\r", "%0D")


def make_file(lines):
    """Section 2: lines sorted bytewise, each LF-terminated (empty file = empty string)."""
    encoded = sorted(line.encode("utf-8") for line in lines)
    return b"".join(line + b"\n" for line in encoded).decode("utf-8")


def file_lines(text):
    """Lines of a file as written (order kept); tolerates a missing final LF."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def show(line):
    """A line for a message: without its LF, control characters made visible."""
    line = line[:-1] if line.endswith("\n") else line
    return "".join(ch if ch >= " " and ch != "\x7f" else f"\\x{ord(ch):02x}" for ch in line)


def compare(part, expected, actual, note=""):
    """Compare two texts line by line; raise at the first differing line."""
    if expected == actual:
        return

    def lines(text):  # lines with their LF, so a missing final LF is a difference too
        parts = text.split("\n")
        return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])

    exp, act = lines(expected), lines(actual)
    for n in range(max(len(exp), len(act))):
        e = exp[n] if n < len(exp) else None
        a = act[n] if n < len(act) else None
        if e == a:
            continue
        where = f"{part} line {n + 1}: "
        if e is None:
            raise Mismatch(f"{where}expected the end of the text, record has '{show(a)}'{note}")
        if a is None:
            raise Mismatch(f"{where}expected '{show(e)}' record has nothing (its text ends){note}")
        if e.rstrip("\n") == a.rstrip("\n"):
            raise Mismatch(f"{where}'{show(e)}' must end with one LF (0x0A){note}")
        raise Mismatch(f"{where}expected '{show(e)}' record has '{show(a)}'{note}")
    raise Mismatch(f"{part}: the texts differ")  # unreachable


def to_int(part, n, text):
    if not text or not all("0" <= ch <= "9" for ch in text):
        raise Mismatch(f"{part} line {n}: '{text}' is not a decimal integer")
    return int(text)


def collapse_white_space(text):
    out, pending = [], False
    for ch in text:
        if ch in WHITE_SPACE:
            pending = True
            continue
        if pending and out:
            out.append(" ")
        pending = False
        out.append(ch)
    return "".join(out)


def canonical_value(source, raw):
    if source == "server-secret":
        return raw.strip("".join(WHITE_SPACE)).lower()
    return collapse_white_space(unicodedata.normalize("NFC", raw))


def parse_parameters(text):
    p = {"team": [], "sampling": [], "singles": {}}
    for n, line in enumerate(file_lines(text), 1):
        f = line.split("|")
        if len(f) < 3 or f[0] != "P":
            raise Mismatch(f"files.parameters line {n}: '{line}' is not a parameter line")
        name = f[1]
        if name == "team":
            if len(f) != 4:
                raise Mismatch(f"files.parameters line {n}: '{line}' is not 'P|team|<department>|<count>'")
            p["team"].append((f[2], to_int("files.parameters", n, f[3])))
        elif name == "sampling":
            p["sampling"].append((n, f[2:]))
        else:
            if name in p["singles"]:
                raise Mismatch(f"files.parameters line {n}: parameter '{name}' appears twice")
            p["singles"][name] = (n, f[2:])
    return p


def single(p, name, numeric=True):
    if name not in p["singles"]:
        raise Mismatch(f"files.parameters: the line 'P|{name}|…' is missing")
    n, values = p["singles"][name]
    if len(values) != 1:
        raise Mismatch(f"files.parameters line {n}: 'P|{name}' must have one value")
    return to_int("files.parameters", n, values[0]) if numeric else values[0]


def sampling_form(p):
    forms = p["sampling"]
    if not forms:
        raise Mismatch("files.parameters: there is no 'P|sampling|…' line")
    kinds = {v[0] for _, v in forms}
    if len(kinds) != 1:
        raise Mismatch("files.parameters: more than one sampling form")
    kind = kinds.pop()
    if kind in ("ratio", "fixed"):
        n, v = forms[0]
        if len(forms) != 1 or len(v) != 2:
            raise Mismatch(f"files.parameters line {n}: malformed 'P|sampling|{kind}|…'")
        return kind, to_int("files.parameters", n, v[1])
    if kind == "class":
        bps = {}
        for n, v in forms:
            if len(v) != 3 or v[1] in bps:
                raise Mismatch(f"files.parameters line {n}: malformed or repeated 'P|sampling|class|…'")
            bps[v[1]] = to_int("files.parameters", n, v[2])
        return kind, bps
    raise Mismatch(f"files.parameters line {forms[0][0]}: unknown sampling form '{kind}'")


def parse_targets(text):
    strata = {}  # stratum (as written) -> [targetId, ...] in file order
    for n, line in enumerate(file_lines(text), 1):
        f = line.split("|")
        if len(f) != 4 or f[0] != "T":
            raise Mismatch(f"files.targets line {n}: '{line}' is not 'T|<stratum>|<targetId>|<identifier>'")
        strata.setdefault(f[1], []).append(f[2])
    return strata


def allocate_quotas(kind, value, sizes):
    """Quota per stratum (section 2.6 of draw-algorithm-1.md; /2 refers to it unchanged).

    kind is "fixed", "ratio" or "class"; value is the count, the ratio in basis points, or {class: bp};
    sizes maps each stratum (as written, escaped) to its number of targets."""
    if kind == "fixed":
        return {s: min(value, n) for s, n in sizes.items()}
    bp = {s: (value if kind == "ratio" else value.get(s, 0)) for s in sizes}
    num = {s: sizes[s] * bp[s] for s in sizes}
    total = -(-sum(num.values()) // 10000)
    quotas = {s: num[s] // 10000 for s in sizes}
    left = total - sum(quotas.values())
    # largest remainder first, ties to the bytewise-smaller stratum name (as written)
    order = sorted((s for s in sizes if num[s] % 10000), key=lambda s: (-(num[s] % 10000), s.encode("utf-8")))
    for s in order[:left]:
        quotas[s] += 1
    return {s: min(q, sizes[s]) for s, q in quotas.items()}


def compute_quotas(p, strata):
    kind, value = sampling_form(p)
    sizes = {s: len(ts) for s, ts in strata.items()}
    quotas = allocate_quotas(kind, value, sizes)
    text = make_file(f"Q|{s}|{sizes[s]}|{quotas[s]}" for s in sizes)
    return quotas, text


def replace_target(draw, t, replaced):
    """Section 7 (both algorithms): target t leaves the selection and gives its team's loads back; the replacement is the next
    target of its stratum's ranking after the last rank used that is neither selected nor replaced before. It gets its team
    (section 6) and is returned, or None when the ranking is exhausted."""
    for m in draw.teams.pop(t):
        if m is not None:
            draw.load[m] -= 1
    replaced.add(t)
    s = draw.stratum_of[t]
    ranking, new = draw.ranking[s], None
    while draw.used[s] < len(ranking):
        candidate = ranking[draw.used[s]]
        draw.used[s] += 1
        if candidate not in draw.teams and candidate not in replaced:
            new = candidate
            break
    if new is not None:
        draw.stratum_of[new] = s
        draw.teams[new] = draw.form_team(new)
    return new


class Keys:
    def __init__(self, commitment, randomness_text):
        salt = hashlib.sha256(commitment.encode("utf-8")).digest()
        self.prk = hmac.digest(salt, randomness_text.encode("utf-8"), "sha256")

    def key(self, label):
        return hmac.digest(self.prk, label.encode("utf-8") + b"\x01", "sha256")


class Draw:
    """Sections 5 to 8."""

    def __init__(self, keys, p, strata, quotas, inspectors_text, conflicts_text):
        self.keys = keys
        self.load_cap = single(p, "load-cap")
        self.batches = single(p, "batches")
        if p["team"]:
            self.slots = [d for d, count in p["team"] for _ in range(count)]
        else:
            self.slots = ["*"] * single(p, "inspectors-per-target")
        self.inspectors = []  # (inspectorId, department, expert)
        for n, line in enumerate(file_lines(inspectors_text), 1):
            f = line.split("|")
            if len(f) != 5 or f[0] != "I" or f[3] not in ("0", "1"):
                raise Mismatch(f"files.inspectors line {n}: '{line}' is not 'I|<id>|<department>|<0|1>|<staff code>'")
            self.inspectors.append((f[1], f[2], f[3] == "1"))
        self.expert = {i: e for i, _, e in self.inspectors}
        self.conflicts = set()
        for n, line in enumerate(file_lines(conflicts_text), 1):
            f = line.split("|")
            if len(f) != 3 or f[0] != "C":
                raise Mismatch(f"files.conflicts line {n}: '{line}' is not 'C|<inspectorId>|<targetId>'")
            self.conflicts.add((f[1], f[2]))
        self.load = {i: 0 for i, _, _ in self.inspectors}
        self.recused = set()  # (inspectorId, targetId)
        # section 5: rankings and initial selection
        self.ranking, self.hexkey, self.used, self.stratum_of = {}, {}, {}, {}
        lines = []
        for s, targets in strata.items():
            keyed = []
            for t in targets:
                k = keys.key(f"T|{s}|{t}")
                keyed.append((k, t.encode("utf-8"), t))
            keyed.sort()
            self.ranking[s] = [t for _, _, t in keyed]
            self.used[s] = quotas[s]
            for rank, (k, _, t) in enumerate(keyed[: quotas[s]], 1):
                lines.append(f"S|{s}|{rank:07d}|{t}|{k.hex()}")
                self.stratum_of[t] = s
        self.targets_text = make_file(lines)
        # Section 6 says "the order of the output targets file (stratum bytewise, then rank)". The two differ when a
        # stratum name is a prefix of another ("A" vs "AB": the line "S|AB|…" sorts before "S|A|…" since 'B' < '|').
        # The reference implementation uses stratum bytewise (as written), then rank; so does this verifier.
        selected = (line.split("|") for line in file_lines(self.targets_text))
        self.processing = [f[3] for f in sorted(selected, key=lambda f: (f[1].encode("utf-8"), f[2]))]
        self.initial = list(self.processing)

    def candidates(self, t):
        keyed = [(self.keys.key(f"I|{t}|{i}"), i.encode("utf-8"), i, d, e)
                 for i, d, e in self.inspectors if (i, t) not in self.conflicts]
        keyed.sort()
        return [(i, d, e) for _, _, i, d, e in keyed]

    def fill(self, t, ranking, dept, members, open_after):
        has_non_expert = any(m is not None and not self.expert[m] for m in members)
        for i, d, e in ranking:
            if dept != "*" and d != dept:
                continue
            if i in members or (i, t) in self.recused:
                continue
            if self.load_cap > 0 and self.load[i] >= self.load_cap:
                continue
            if e and open_after == 0 and not has_non_expert:
                continue
            self.load[i] += 1
            return i
        return None

    def form_team(self, t):
        ranking = self.candidates(t)
        members = []
        for j, dept in enumerate(self.slots):
            members.append(self.fill(t, ranking, dept, members, len(self.slots) - 1 - j))
        return members

    def run_teams(self):
        self.teams = {t: self.form_team(t) for t in self.processing}
        self.teams_text = make_file(
            f"M|{t}|{j + 1:02d}|{m or '-'}|{self.slots[j]}" for t, ms in self.teams.items() for j, m in enumerate(ms))

    def run_batches(self):
        if self.batches <= 1:
            return ""
        order = sorted((self.keys.key(f"B|{t}"), t.encode("utf-8"), t) for t in self.initial)
        n, b, lines, pos = len(order), self.batches, [], 0
        for j in range(1, b + 1):
            size = n // b + (1 if j <= n % b else 0)
            lines += [f"B|{j:03d}|{t}" for _, _, t in order[pos:pos + size]]
            pos += size
        return make_file(lines)

    def run_replacements(self, requests):
        lines, replaced = [], set()
        for n, req in enumerate(requests, 1):
            seq = f"{n:04d}"
            where = f"replacements request {n}"
            kind, t, i = req.get("kind"), req.get("targetId"), req.get("inspectorId")
            if not isinstance(t, str) or t not in self.teams:
                raise Mismatch(f"{where}: target '{t}' is not currently selected")
            if kind == "inspector":
                members = self.teams[t]
                if not isinstance(i, str) or i not in members:
                    raise Mismatch(f"{where}: inspector '{i}' is not in the team of target '{t}'")
                j = members.index(i)
                self.recused.add((i, t))
                self.load[i] -= 1
                members[j] = None
                new = self.fill(t, self.candidates(t), self.slots[j], members, 0)
                members[j] = new
                lines.append(f"R|{seq}|inspector|{t}|{i}|{new or '-'}")
            elif kind == "target":
                new = replace_target(self, t, replaced)
                lines.append(f"R|{seq}|target|{t}|{new or '-'}")
                if new is not None:
                    for j, m in enumerate(self.teams[new]):
                        lines.append(f"R|{seq}|member|{new}|{j + 1:02d}|{m or '-'}|{self.slots[j]}")
            else:
                raise Mismatch(f"{where}: unknown kind '{kind}'")
        return make_file(lines)


def verify(record, expect_commitment=None, expect_record=None):
    """Verify a supervision-draw/1 record (draw-algorithm-1.md section 9 order).

    expect_commitment, when given, is the published commitment hash (part `expect.commitment`, checked right
    after `commitmentSha256`). A /1 record has no record hash: asking for expect_record fails `expect.record`."""
    def text(obj, name, where):
        v = obj.get(name)
        if not isinstance(v, str):
            raise Unreadable(f"{where}{name} is missing or not a string")
        return v

    files_obj, outputs_obj = record.get("files"), record.get("outputs")
    if not isinstance(files_obj, dict) or not isinstance(outputs_obj, dict):
        raise Unreadable("the record has no 'files' or 'outputs' object")
    files = {name: text(files_obj, name, "files.") for name in FILES}
    outputs = {name: text(outputs_obj, name, "outputs.") for name in OUTPUTS}
    randomness, requests = record.get("randomness"), record.get("replacements")
    if not isinstance(randomness, list) or not all(isinstance(r, dict) for r in randomness):
        raise Unreadable("'randomness' is missing or not a list of objects")
    if requests is None:
        requests = []
    if not isinstance(requests, list) or not all(isinstance(r, dict) for r in requests):
        raise Unreadable("'replacements' is not a list of objects")
    draw_id = record.get("drawId")
    commitment, commitment_sha = record.get("commitment"), record.get("commitmentSha256")

    # 1. algorithm id
    if record.get("algorithm") != ALGORITHM:
        raise Mismatch(f"algorithm: expected '{ALGORITHM}' record has '{record.get('algorithm')}'")
    if not isinstance(draw_id, str) or not isinstance(commitment, str) or not isinstance(commitment_sha, str):
        raise Unreadable("drawId, commitment or commitmentSha256 is missing or not a string")

    # 2. commitment rebuilt from the files; the secret's hash can only come from the commitment itself
    committed_lines = commitment.split("\n")
    secret_line = committed_lines[8] if len(committed_lines) > 8 else ""
    secret_hash = secret_line[len("server-secret-sha256|"):]
    if not secret_line.startswith("server-secret-sha256|") or len(secret_hash) != 64 or not set(secret_hash) <= HEX:
        secret_hash = "<64 lowercase hex characters>"
    expected = f"{ALGORITHM}\ndraw|{draw_id}\n" + "".join(f"{name}|{sha256_hex(files[name])}\n" for name in FILES)
    expected += f"server-secret-sha256|{secret_hash}\n"
    note = ""
    for n, name in enumerate(FILES, 3):
        if n <= len(committed_lines) and committed_lines[n - 1] != f"{name}|{sha256_hex(files[name])}":
            note = f" (files.{name} does not hash to the committed value)"
            break
    compare("commitment", expected, commitment, note)

    # 3. commitmentSha256
    if sha256_hex(commitment) != commitment_sha:
        raise Mismatch(f"commitmentSha256: expected '{sha256_hex(commitment)}' record has '{commitment_sha}'")
    if expect_commitment is not None and expect_commitment != commitment_sha:
        raise Mismatch(f"expect.commitment: the published commitment hash is '{expect_commitment}' "
                       f"record has '{commitment_sha}'")
    if expect_record is not None:
        raise Mismatch("expect.record: a supervision-draw/1 record has no record hash (acts chain); "
                       "only --expect-commitment applies to it")

    # 4. the parameters name this algorithm and draw
    p = parse_parameters(files["parameters"])
    if single(p, "algorithm", numeric=False) != ALGORITHM:
        raise Mismatch(f"files.parameters: 'P|algorithm|…' does not name '{ALGORITHM}'")
    if single(p, "draw", numeric=False) != draw_id:
        raise Mismatch(f"files.parameters: expected 'P|draw|{draw_id}' record has "
                       f"'P|draw|{single(p, 'draw', numeric=False)}'")

    # 5. quotas per section 2.6
    strata = parse_targets(files["targets"])
    quotas, quotas_text = compute_quotas(p, strata)
    compare("files.quotas", quotas_text, files["quotas"], " (quotas do not follow section 2.6)")

    # 6. canonical randomness from raw
    for n, r in enumerate(randomness, 1):
        source, raw, canonical = r.get("source"), r.get("raw"), r.get("canonical")
        if not all(isinstance(v, str) for v in (source, raw, canonical)):
            raise Unreadable(f"randomness entry {n} lacks source, raw or canonical")
        want = canonical_value(source, raw)
        if want != canonical:
            raise Mismatch(f"randomness entry {n} ({source}): canonical expected '{want}' record has '{canonical}'")
        if source == "server-secret" and (len(want) != 64 or not set(want) <= HEX):
            raise Mismatch(f"randomness entry {n} (server-secret): '{want}' is not 64 hex characters")

    # 7. one server-secret, at least one witness
    sources = [r["source"] for r in randomness]
    if sources.count("server-secret") != 1 or "witness" not in sources:
        raise Mismatch(f"randomness: expected exactly one server-secret and at least one witness, "
                       f"record has {sources.count('server-secret')} server-secret and "
                       f"{sources.count('witness')} witness sources")

    # 8. the secret hashes to the committed value
    secret = next(r["canonical"] for r in randomness if r["source"] == "server-secret")
    actual_hash = hashlib.sha256(bytes.fromhex(secret)).hexdigest()
    if actual_hash != secret_hash:
        raise Mismatch(f"randomness server-secret: its SHA-256 is '{actual_hash}' but the commitment has "
                       f"'server-secret-sha256|{secret_hash}'")

    # 9. sections 5 to 8, outputs compared line by line
    randomness_text = make_file(f"R|{escape(r['source'])}|{escape(r['canonical'])}" for r in randomness)
    draw = Draw(Keys(commitment, randomness_text), p, strata, quotas, files["inspectors"], files["conflicts"])
    compare("outputs.targets", draw.targets_text, outputs["targets"])
    draw.run_teams()
    compare("outputs.teams", draw.teams_text, outputs["teams"])
    compare("outputs.batches", draw.run_batches(), outputs["batches"])
    compare("outputs.replacements", draw.run_replacements(requests), outputs["replacements"])


# =====================================================================================================================
# supervision-draw/2 (docs/draw-algorithm.md). Everything below is written from that text and from the sections of
# docs/draw-algorithm-1.md it refers to. Section numbers in docstrings are those of draw-algorithm.md unless noted.
# Every failure is raised as "<part>: <free text>", <part> being a failure name of section 10.
# =====================================================================================================================

ALGORITHM_2 = "supervision-draw/2"
FILES_2 = ("parameters", "targets", "exclusions", "inspectors", "conflicts", "quotas", "sources")
OUTPUTS_2 = ("targets", "teams", "batches", "replacements")
WHITE_SPACE_CHARS = "".join(sorted(WHITE_SPACE))  # the 25 code points of section 2 (same set as for /1)
ESCAPES = {"%25": "%", "%7C": "|", "%0A": "\n", "%0D": "\r"}
PARAMETER_KEYS = ("algorithm", "batches", "draw", "inspectors-per-target", "load-cap", "partial-teams", "plan",
                  "pool-as-of-sequence", "record-public", "replaces", "sampling", "task", "team", "window")
SINGLE_KEYS = ("algorithm", "batches", "draw", "inspectors-per-target", "load-cap", "partial-teams", "plan",
               "pool-as-of-sequence", "record-public", "task", "window")  # exactly once each
ACT_FIELDS = {"commit": 5, "randomness": 8, "contribution": 7, "draw": 8, "inspector": 8, "target": 7, "void": 7}

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NUMBER = re.compile(r"0|[1-9][0-9]*")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SOURCE_NAME = re.compile(r"[a-z0-9-]{1,40}")
_ACTOR = re.compile(r"([^:|%]+):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([0-9a-f]{16})")
_BAD_PERCENT = re.compile(r"%(?!25|7C|0A|0D)")


def fail(part, message):
    raise Mismatch(f"{part}: {message}")


def utf8(text):
    """UTF-8 bytes of a text; an unpaired surrogate (only possible through a JSON escape) is kept as its
    (invalid) three bytes so that hashing never crashes; the canonical checks reject such texts first."""
    return text.encode("utf-8", "surrogatepass")


def sha256_hex2(text):
    return hashlib.sha256(utf8(text)).hexdigest()


def has_surrogate(text):
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


# --- field forms (conventions at the top of the spec) ----------------------------------------------------------------

def is_uuid(s):
    """Lowercase UUID in the 8-4-4-4-12 form."""
    return _UUID.fullmatch(s) is not None


def is_number(s):
    """Decimal integer without sign, leading zeros, padding or separators."""
    return _NUMBER.fullmatch(s) is not None


def is_padded(s, width):
    """A number zero-padded to exactly `width` digits."""
    return len(s) == width and s.isascii() and s.isdigit()


def value_of(number):
    """The value of a well-formed number; beyond 30 digits it is capped at 10**30, which compares the same way with
    every range and pool size (and keeps Python's limit on converting very long digit strings out of the way)."""
    return int(number) if len(number) <= 30 else 10 ** 30


def is_hex64(s):
    return _HEX64.fullmatch(s) is not None


def is_instant(s):
    """`yyyy-MM-ddTHH:mm:ssZ`, exactly 20 characters, a real UTC moment."""
    if _INSTANT.fullmatch(s) is None:
        return False
    try:
        datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    return True


def is_date(s):
    if _DATE.fullmatch(s) is None:
        return False
    try:
        datetime.date.fromisoformat(s)
    except ValueError:
        return False
    return True


def is_actor(s):
    """Section 9: `<role>:<departmentId>:<digest>`, digest 16 hex characters (the spec does not define the role's
    characters; any non-empty text without ':', '|' or '%' is accepted)."""
    return _ACTOR.fullmatch(s) is not None


def well_escaped(field):
    """Section 2, Escaping: no `|`, LF or CR, and every `%` begins %25, %7C, %0A or %0D (uppercase)."""
    return not any(ch in field for ch in "|\n\r") and _BAD_PERCENT.search(field) is None


def unescape(field):
    """Section 2, Escaping: decode a well-escaped field (left to right; the four sequences only)."""
    return re.sub("%(25|7C|0A|0D)", lambda m: ESCAPES[m.group(0)], field)


def canonical_value2(value):
    """Section 4.1: NFC, then leading and trailing white space removed, then every run of white space replaced by
    one U+0020 (white space: the 25 code points of section 2)."""
    text = unicodedata.normalize("NFC", value).strip(WHITE_SPACE_CHARS)
    return re.sub("[" + re.escape(WHITE_SPACE_CHARS) + "]+", " ", text)


# --- section 2: canonical files --------------------------------------------------------------------------------------

def form_parameters(f):
    """Section 2's table: the line form of a parameters line is only `P` and at least two more fields."""
    return None if f[0] == "P" and len(f) >= 3 else "is not 'P|<key>|<value>…'"


def syntax_parameters(f):
    """Section 2.1: the syntax of each key's values, checked as `files.parameters` (section 2's table)."""
    key = f[1]
    if key in ("batches", "inspectors-per-target", "load-cap", "partial-teams", "pool-as-of-sequence"):
        return None if len(f) == 3 and is_number(f[2]) else f"is not 'P|{key}|<number>'"
    if key in ("draw", "replaces"):
        return None if len(f) == 3 and is_uuid(f[2]) else f"is not 'P|{key}|<lowercase uuid>'"
    if key in ("algorithm", "plan", "task", "record-public"):
        return None if len(f) == 3 else f"is not 'P|{key}|<text>'"
    if key == "window":
        ok = len(f) == 4 and is_date(f[2]) and is_date(f[3])
        return None if ok else "is not 'P|window|<yyyy-MM-dd>|<yyyy-MM-dd>'"
    if key == "team":
        ok = len(f) == 5 and is_padded(f[2], 2) and is_uuid(f[3]) and is_number(f[4])
        return None if ok else "is not 'P|team|<position, 2 digits>|<departmentId>|<count>'"
    if key == "sampling" and f[2] in ("ratio", "fixed"):
        return None if len(f) == 4 and is_number(f[3]) else f"is not 'P|sampling|{f[2]}|<number>'"
    if key == "sampling" and f[2] == "class":
        return None if len(f) == 5 and is_number(f[4]) else "is not 'P|sampling|class|<class>|<bp>'"
    return None  # an unknown key or sampling form: files.parameters


def form_targets(f):
    """Section 2.2: `T|<stratum>|<targetId>|<identifier>`."""
    return None if len(f) == 4 and f[0] == "T" and is_uuid(f[2]) else "is not 'T|<stratum>|<targetId>|<identifier>'"


def form_exclusions(f):
    """Section 2.3: `X|<kind>|<id>|<label>|<reason>`, kind `target` or `inspector`."""
    ok = len(f) == 5 and f[0] == "X" and f[1] in ("target", "inspector") and is_uuid(f[2])
    return None if ok else "is not 'X|<target or inspector>|<id>|<label>|<reason>'"


def form_inspectors(f):
    """Section 2.4: `I|<inspectorId>|<departmentId>|<expert>`."""
    ok = len(f) == 4 and f[0] == "I" and is_uuid(f[1]) and is_uuid(f[2]) and f[3] in ("0", "1")
    return None if ok else "is not 'I|<inspectorId>|<departmentId>|<0 or 1>'"


def form_conflicts(f):
    """Section 2.5: `C|<inspectorId>|<targetId>`."""
    ok = len(f) == 3 and f[0] == "C" and is_uuid(f[1]) and is_uuid(f[2])
    return None if ok else "is not 'C|<inspectorId>|<targetId>'"


def form_quotas(f):
    """Section 2.6: `Q|<stratum>|<pool size>|<quota>`."""
    ok = len(f) == 4 and f[0] == "Q" and is_number(f[2]) and is_number(f[3])
    return None if ok else "is not 'Q|<stratum>|<pool size>|<quota>'"


def form_sources(f):
    """Section 2.7: `S|<name>|<kind>|<not-before>|<description>`."""
    return None if len(f) == 5 and f[0] == "S" else "is not 'S|<name>|<kind>|<not-before>|<description>'"


def form_out_targets(f):
    """Section 5: `S|<stratum>|<rank, 7 digits>|<targetId>|<hex k_t>`."""
    ok = len(f) == 5 and f[0] == "S" and is_padded(f[2], 7) and is_uuid(f[3]) and is_hex64(f[4])
    return None if ok else "is not 'S|<stratum>|<rank, 7 digits>|<targetId>|<64 hex>'"


def form_out_teams(f):
    """Section 6: `M|<targetId>|<slot, 2 digits>|<inspectorId or ->|<departmentId or *>`."""
    ok = (len(f) == 5 and f[0] == "M" and is_uuid(f[1]) and is_padded(f[2], 2) and f[2] != "00"
          and (f[3] == "-" or is_uuid(f[3])) and (f[4] == "*" or is_uuid(f[4])))
    return None if ok else "is not 'M|<targetId>|<slot, 2 digits>|<inspectorId or ->|<departmentId or *>'"


def form_out_batches(f):
    """Section 8: `B|<batch, 3 digits>|<targetId>`."""
    ok = len(f) == 3 and f[0] == "B" and is_padded(f[1], 3) and is_uuid(f[2])
    return None if ok else "is not 'B|<batch, 3 digits>|<targetId>'"


def form_out_replacements(f):
    """Section 7: the `inspector`, `target` and `member` lines."""
    if len(f) < 3 or f[0] != "R" or not is_padded(f[1], 4):
        return "is not 'R|<seq, 4 digits>|…'"
    opt = lambda s: s == "-" or is_uuid(s)  # noqa: E731
    if f[2] == "inspector" and len(f) == 6 and is_uuid(f[3]) and is_uuid(f[4]) and opt(f[5]):
        return None
    if f[2] == "target" and len(f) == 5 and is_uuid(f[3]) and opt(f[4]):
        return None
    if (f[2] == "member" and len(f) == 7 and is_uuid(f[3]) and is_padded(f[4], 2) and opt(f[5])
            and (f[6] == "*" or is_uuid(f[6]))):
        return None
    return "is not an 'R|<seq>|inspector|…', 'R|<seq>|target|…' or 'R|<seq>|member|…' line"


FILE_FORMS = {"parameters": form_parameters, "targets": form_targets, "exclusions": form_exclusions,
              "inspectors": form_inspectors, "conflicts": form_conflicts, "quotas": form_quotas,
              "sources": form_sources}
OUTPUT_FORMS = {"targets": form_out_targets, "teams": form_out_teams, "batches": form_out_batches,
                "replacements": form_out_replacements}


def check_canonical(part, text, line_form):
    """Section 2: valid UTF-8, no BOM, no CR, LF after the last line, strictly ascending bytewise, NFC, every field
    well escaped, and the line form. Returns the lines (without LF), each split into its fields."""
    if has_surrogate(text):
        fail(part, "not valid UTF-8 (an unpaired surrogate)")
    if text.startswith("\ufeff"):
        fail(part, "starts with a byte-order mark (U+FEFF)")
    if "\r" in text:
        fail(part, f"line {text[:text.index(chr(13))].count(chr(10)) + 1}: contains a CR (0x0D)")
    if text and not text.endswith("\n"):
        fail(part, f"line {text.count(chr(10)) + 1}: '{show(text.rsplit(chr(10), 1)[-1])}' does not end with LF")
    lines = text.split("\n")[:-1] if text else []
    rows, previous = [], None
    for n, line in enumerate(lines, 1):
        encoded = line.encode("utf-8")
        if previous is not None and encoded <= previous:
            what = "appears twice" if encoded == previous else "is not after the line before it (bytewise)"
            fail(part, f"line {n}: '{show(line)}' {what}: lines must be strictly ascending")
        previous = encoded
        if not unicodedata.is_normalized("NFC", line):
            fail(part, f"line {n}: '{show(line)}' is not in Unicode NFC")
        fields = line.split("|")
        for field in fields:
            if not well_escaped(field):
                fail(part, f"line {n}: field '{show(field)}' is not well escaped (a '%' that does not begin "
                           f"%25, %7C, %0A or %0D)")
        problem = line_form(fields)
        if problem:
            fail(part, f"line {n}: '{show(line)}' {problem}")
        rows.append(fields)
    return rows


def check_unique_inspectors(rows):
    """Section 2.4 says "every eligible inspector", one line each. The spec names no failure for an inspectorId
    on two lines (two departments or expert flags); this verifier reports it as `canonical.inspectors`."""
    seen = set()
    for f in rows:
        if f[1] in seen:
            fail("canonical.inspectors", f"the inspector {f[1]} appears on two lines")
        seen.add(f[1])


# --- section 2.1 / 2.2 / 2.7 / 2.6: the files' meaning ------------------------------------------------------------

class Parameters2:
    """Section 2.1, checked (`files.parameters`)."""

    def __init__(self, rows, draw_id):
        part = "files.parameters"
        singles, samplings, teams, replaces = {}, [], [], []
        for f in rows:
            problem = syntax_parameters(f)
            if problem:
                fail(part, f"'{show('|'.join(f))}' {problem}")
        for f in rows:
            key = f[1]
            if key not in PARAMETER_KEYS:
                fail(part, f"unknown key '{show(key)}'")
            if key == "sampling":
                samplings.append(f[2:])
            elif key == "team":
                teams.append(f[2:])
            elif key == "replaces":
                replaces.append(f[2])
            elif key in singles:
                fail(part, f"a second line for the key '{key}'")
            else:
                singles[key] = f[2:]
        for key in SINGLE_KEYS:
            if key not in singles:
                fail(part, f"the key '{key}' is missing")
        if len(replaces) > 1:
            fail(part, "a second line for the key 'replaces'")

        def number(key, low, high=None):
            v = value_of(singles[key][0])
            if v < low or (high is not None and v > high):
                fail(part, f"'P|{key}|{v}' is outside {low} to {high if high is not None else 'any'}")
            return v

        if singles["algorithm"][0] != ALGORITHM_2:
            fail(part, f"expected 'P|algorithm|{ALGORITHM_2}' record has 'P|algorithm|{show(singles['algorithm'][0])}'")
        if singles["draw"][0] != draw_id:
            fail(part, f"expected 'P|draw|{show(draw_id)}' (the record's drawId) "
                       f"record has 'P|draw|{singles['draw'][0]}'")
        self.batches = number("batches", 1, 100)
        self.k = number("inspectors-per-target", 1, 50)
        self.load_cap = number("load-cap", 0)
        self.partial_teams = number("partial-teams", 0, 1) == 1
        number("pool-as-of-sequence", 0)
        if singles["record-public"][0] not in ("immediately", "inspections-start"):
            fail(part, f"'P|record-public|{show(singles['record-public'][0])}' is not immediately or inspections-start")
        self.sampling_kind, self.sampling_value = self._sampling(part, samplings)
        self.slots = self._slots(part, teams)

    @staticmethod
    def _sampling(part, samplings):
        """Exactly one sampling form; bp 1 to 10000, count 1 or more, each class once."""
        if not samplings:
            fail(part, "there is no 'P|sampling|…' line")
        kinds = {s[0] for s in samplings}
        if len(kinds) > 1:
            fail(part, f"more than one sampling form ({', '.join(sorted(kinds))})")
        kind = kinds.pop()
        if kind not in ("ratio", "fixed", "class"):
            fail(part, f"unknown sampling form '{show(kind)}'")
        if kind in ("ratio", "fixed"):
            if len(samplings) > 1:
                fail(part, f"a second 'P|sampling|{kind}|…' line")
            v = value_of(samplings[0][1])
            if kind == "ratio" and not 1 <= v <= 10000:
                fail(part, f"'P|sampling|ratio|{v}' is outside 1 to 10000")
            if kind == "fixed" and v < 1:
                fail(part, "'P|sampling|fixed|0': the count is 1 or more")
            return kind, v
        bps = {}
        for _, cls, bp in samplings:  # distinct lines with the same class differ in bp
            if cls in bps:
                fail(part, f"the class '{show(cls)}' has a second sampling line")
            if not 1 <= value_of(bp) <= 10000:
                fail(part, f"'P|sampling|class|{show(cls)}|{bp}' is outside 1 to 10000")
            bps[cls] = value_of(bp)
        return kind, bps

    def _slots(self, part, teams):
        """Section 2.1 `team` lines and section 6 step 2: the slots' departments in slot order (`*` = any)."""
        if not teams:
            return ["*"] * self.k
        slots, seen = [], set()
        for n, (position, department, count) in enumerate(teams, 1):  # lines sorted: 2-digit positions ascend
            if position != f"{n:02d}":
                fail(part, f"team positions are not consecutive from 01: expected {n:02d}, record has {position}")
            if department in seen:
                fail(part, f"the department {department} has a second team line")
            seen.add(department)
            if not 1 <= value_of(count) <= 50:
                fail(part, f"'P|team|{position}|{department}|{count}': the count is outside 1 to 50")
            slots += [department] * value_of(count)
        if len(slots) > 50:
            fail(part, f"the team lines add up to {len(slots)} members, more than 50")
        return slots


def check_targets2(rows, params):
    """Section 2.2 (`files.targets`): every stratum has its sampling line (ratio and fixed: only `*`; class: a
    `P|sampling|class|<stratum>|…` line, compared as written); each targetId once.
    Returns {stratum: [targetId, …]} in file order."""
    strata, seen = {}, set()
    for f in rows:
        stratum, target = f[1], f[2]
        if params.sampling_kind == "class":
            if stratum not in params.sampling_value:
                fail("files.targets", f"the stratum '{show(stratum)}' of target {target} has no sampling line")
        elif stratum != "*":
            fail("files.targets", f"the stratum '{show(stratum)}' of target {target} has no sampling line "
                                  f"(the {params.sampling_kind} form has the one stratum '*')")
        if target in seen:
            fail("files.targets", f"the target {target} appears twice")
        seen.add(target)
        strata.setdefault(stratum, []).append(target)
    return strata


def check_sources2(rows):
    """Section 2.7 (`files.sources`): at least one source, each name once. Returns {name: not-before}."""
    if not rows:
        fail("files.sources", "no source of randomness is declared (at least one is required)")
    sources = {}
    for f in rows:
        if _SOURCE_NAME.fullmatch(f[1]) is None or f[2] not in ("ceremony", "beacon") or not is_instant(f[3]):
            fail("files.sources", f"'{show('|'.join(f))}' is not 'S|<name: 1-40 of a-z 0-9 ->|<ceremony or beacon>|"
                                  "<yyyy-MM-ddTHH:mm:ssZ>|<description>'")
        if f[1] in sources:
            fail("files.sources", f"the source '{f[1]}' is declared twice")
        sources[f[1]] = f[3]
    return sources


def check_quotas2(params, strata, quotas_text):
    """Section 2.6 (`files.quotas`), computed as in draw-algorithm-1.md section 2.6. Returns {stratum: quota}."""
    sizes = {s: len(ts) for s, ts in strata.items()}
    quotas = allocate_quotas(params.sampling_kind, params.sampling_value, sizes)
    expected = make_file(f"Q|{s}|{sizes[s]}|{quotas[s]}" for s in sizes)
    compare_lines("files.quotas", expected, quotas_text, " (the quotas do not follow section 2.6)")
    return quotas


def compare_lines(part, expected, actual, note=""):
    """Compare two texts line by line; fail `part` at the first differing line."""
    if expected == actual:
        return

    def lines(text):  # lines with their LF, so that a missing final LF is a difference too
        parts = text.split("\n")
        return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])

    exp, act = lines(expected), lines(actual)
    for n in range(max(len(exp), len(act))):
        e = exp[n] if n < len(exp) else None
        a = act[n] if n < len(act) else None
        if e == a:
            continue
        if e is None:
            fail(part, f"line {n + 1}: expected the end of the text, record has '{show(a)}'{note}")
        if a is None:
            fail(part, f"line {n + 1}: expected '{show(e)}' record has nothing (its text ends){note}")
        if e.rstrip("\n") == a.rstrip("\n"):
            fail(part, f"line {n + 1}: '{show(e)}' must end with one LF (0x0A){note}")
        fail(part, f"line {n + 1}: expected '{show(e)}' record has '{show(a)}'{note}")
    fail(part, "the texts differ")  # unreachable


# --- section 3: the commitment ---------------------------------------------------------------------------------------

def check_commitment2(draw_id, files, commitment):
    """Section 3: rebuild the text from the files and the two contribution hashes written in the record's
    commitment; fail `commitment` on any difference. Returns {party: committed hex SHA-256}."""
    written = commitment.split("\n")
    committed = {}
    for index, party in ((9, "department"), (10, "discipline")):
        line = written[index] if index < len(written) else ""
        prefix = f"contribution|{party}|"
        value = line[len(prefix):]
        committed[party] = value if line.startswith(prefix) and is_hex64(value) else "<64 lowercase hex characters>"
    hashes = {name: sha256_hex2(files[name]) for name in FILES_2}
    expected = (f"{ALGORITHM_2}\ndraw|{draw_id}\n" + "".join(f"{name}|{hashes[name]}\n" for name in FILES_2)
                + f"contribution|department|{committed['department']}\n"
                + f"contribution|discipline|{committed['discipline']}\n")
    note = ""
    for n, name in enumerate(FILES_2, 3):
        if n <= len(written) and written[n - 1].startswith(f"{name}|") and written[n - 1] != f"{name}|{hashes[name]}":
            note = f" (files.{name} does not hash to the committed value)"
            break
    compare_lines("commitment", expected, commitment, note)
    return committed


# --- section 9: acts and the record hash -----------------------------------------------------------------------------

class Act:
    """One act line of section 9, its fields as written (escaped)."""

    def __init__(self, index, line, fields):
        self.index, self.line, self.fields = index, line, fields
        self.n, self.at, self.actor, self.kind = fields[1], fields[2], fields[3], fields[4]
        self.args = fields[5:]


def check_reason(field):
    """Section 9: a reason is 1 to 1000 characters, trimmed, NFC (checked on the unescaped text; characters are
    Unicode code points)."""
    reason = unescape(field)
    if not 1 <= len(reason) <= 1000:
        return f"the reason has {len(reason)} characters (1 to 1000)"
    if reason != reason.strip(WHITE_SPACE_CHARS):
        return "the reason is not trimmed (white space at its start or end)"
    if not unicodedata.is_normalized("NFC", reason):
        return "the reason is not in Unicode NFC"
    return None


def act_form(act):
    """Section 9, the form of one line (type, number of fields, field forms); None when well formed."""
    a = act.args
    if act.kind == "randomness":
        if _SOURCE_NAME.fullmatch(a[0]) is None:
            return f"'{show(a[0])}' is not a source name"
        if not is_actor(a[2]):
            return "the actor of the first entry is not '<role>:<departmentId>:<16 hex>'"
    elif act.kind == "contribution":
        if a[0] not in ("discipline", "department"):
            return f"the party '{show(a[0])}' is not discipline or department"
    elif act.kind == "inspector":
        if not is_uuid(a[0]) or not is_uuid(a[1]):
            return "is not '…|inspector|<targetId>|<inspectorId>|<reason>'"
        return check_reason(a[2])
    elif act.kind == "target":
        if not is_uuid(a[0]):
            return "is not '…|target|<targetId>|<reason>'"
        return check_reason(a[1])
    elif act.kind == "void":
        if a[0] != "-" and not is_actor(a[0]):
            return "the countersigner is neither '-' nor '<role>:<departmentId>:<16 hex>'"
        return check_reason(a[1])
    return None


def parse_acts(lines):
    """Section 9: every line's form (part `acts`). Returns the acts."""
    acts = []
    for index, line in enumerate(lines, 1):
        where = f"act {index}"
        if has_surrogate(line):
            fail("acts", f"{where}: not valid UTF-8 (an unpaired surrogate)")
        fields = line.split("|")
        for field in fields:
            if not well_escaped(field):
                fail("acts", f"{where}: '{show(line)}': field '{show(field)}' is not well escaped")
        if len(fields) < 5 or fields[0] != "A":
            fail("acts", f"{where}: '{show(line)}' is not 'A|<n>|<at>|<actor>|<type>…'")
        if fields[1] != str(index):
            fail("acts", f"{where}: '{show(line)}' has n = '{show(fields[1])}', expected {index} (n counts from 1)")
        if not is_instant(fields[2]):
            fail("acts", f"{where}: '{show(fields[2])}' is not an instant yyyy-MM-ddTHH:mm:ssZ")
        if not is_actor(fields[3]):
            fail("acts", f"{where}: the actor '{show(fields[3])}' is not '<role>:<departmentId>:<16 hex>'")
        if fields[4] not in ACT_FIELDS:
            fail("acts", f"{where}: unknown act type '{show(fields[4])}'")
        if len(fields) != ACT_FIELDS[fields[4]]:
            fail("acts", f"{where}: a '{fields[4]}' act has {ACT_FIELDS[fields[4]]} fields, this one has "
                         f"{len(fields)}: '{show(line)}'")
        act = Act(index, line, fields)
        problem = act_form(act)
        if problem:
            fail("acts", f"{where} ({act.kind}): {problem}")
        acts.append(act)
    return acts


def person(actor):
    """Section 9: the person behind an actor field is its digest (the same person under another role or department is
    still the same person)."""
    return actor if actor == "system" else actor.rsplit(":", 1)[-1]


def role(actor):
    return actor if actor == "system" else actor.split(":", 1)[0]


def role_problem(act):
    """Section 9, who acts: each kind of act by the role the protocol gives it."""
    r, a = role(act.actor), act.args
    discipline, planner, approver = "discipline-inspector", "planner", "approver"
    allowed = {
        "commit": r == discipline,
        "randomness": r == discipline and len(a) > 2 and role(a[2]) == discipline,
        "contribution": (r == discipline) if a and a[0] == "discipline" else r in (planner, discipline),
        "draw": r == planner,
        "inspector": r == approver,
        "target": r == approver,
        "void": r == approver and bool(a) and (a[0] == "-" or role(a[0]) == discipline),
    }.get(act.kind, True)
    return None if allowed else f"the actor's role '{show(r)}' may not do this (section 9, who acts)"


def check_act_rules(acts, sources):
    """Section 9, the rules a verifier checks (part `acts`)."""
    if not acts or acts[0].kind != "commit":
        fail("acts", "the first act must be 'commit'" + ("" if acts else " (there is no act)"))
    for act in acts:
        problem = role_problem(act)
        if problem:
            fail("acts", f"act {act.n} ({act.kind}): {problem}")
    commit_at = acts[0].at
    for name, not_before in sources.items():
        if not not_before > commit_at:
            fail("acts", f"the not-before {not_before} of source '{name}' is not after the commit act ({commit_at})")
    first_not_before = min(sources.values())
    randomness, contributions, draw, void = {}, {}, None, None
    for i, act in enumerate(acts):
        where = f"act {act.n} ({act.kind})"
        if i > 0 and act.at < acts[i - 1].at:
            fail("acts", f"{where}: at {act.at} is before the previous act's {acts[i - 1].at}")
        if void is not None:
            fail("acts", f"{where}: comes after the void (act {void.n}), which must be the last act")
        if act.kind == "commit" and i > 0:
            fail("acts", f"{where}: only the first act is 'commit'")
        elif act.kind == "randomness":
            name, first_actor = act.args[0], act.args[2]
            if name not in sources:
                fail("acts", f"{where}: '{name}' is not a declared source")
            if name in randomness:
                fail("acts", f"{where}: a second value for the source '{name}' (first in act {randomness[name].n})")
            if act.at < sources[name]:
                fail("acts", f"{where}: recorded at {act.at}, before the source's not-before {sources[name]}")
            if person(first_actor) == person(act.actor):
                fail("acts", f"{where}: the two entries of the value are by the same actor")
            if draw is not None or contributions:
                fail("acts", f"{where}: comes after a contribution or the draw")
            randomness[name] = act
        elif act.kind == "contribution":
            party = act.args[0]
            if party in contributions:
                fail("acts", f"{where}: a second '{party}' contribution (first in act {contributions[party].n})")
            if party == "discipline":
                missing = sorted(set(sources) - set(randomness))
                if missing:
                    fail("acts", f"{where}: the discipline contribution comes before the value of source "
                                 f"'{missing[0]}'")
            else:
                if "discipline" not in contributions:
                    fail("acts", f"{where}: the department contribution comes before the discipline one")
                if i + 1 >= len(acts) or acts[i + 1].kind not in ("draw", "void"):
                    fail("acts", f"{where}: neither the draw act nor a void immediately follows the department contribution")
            if draw is not None:
                fail("acts", f"{where}: comes after the draw")
            contributions[party] = act
        elif act.kind == "draw":
            if draw is not None:
                fail("acts", f"{where}: a second draw (first in act {draw.n})")
            if i == 0 or acts[i - 1].kind != "contribution" or acts[i - 1].args[0] != "department":
                fail("acts", f"{where}: does not immediately follow the department contribution")
            draw = act
        elif act.kind in ("inspector", "target"):
            if draw is None:
                fail("acts", f"{where}: comes before the draw")
        elif act.kind == "void":
            countersigner = act.args[0]
            if countersigner == "-":
                if randomness or draw is not None:
                    fail("acts", f"{where}: a void after a randomness value or the draw needs a countersigner")
                if not act.at < first_not_before:
                    fail("acts", f"{where}: a void at {act.at}, not before every source's not-before "
                                 f"({first_not_before}), needs a countersigner")
            elif person(countersigner) == person(act.actor):
                fail("acts", f"{where}: the countersigner is the void's own actor")
            void = act
    return randomness, contributions, draw


def record_hash(commitment_sha, acts):
    """Section 9, the chain: h_0 = commitmentSha256, h_n = hex(SHA-256(h_{n-1} || act_n || LF))."""
    h = commitment_sha
    for act in acts:
        h = hashlib.sha256(utf8(h + act.line + "\n")).hexdigest()
    return h


# --- section 4: randomness and the key -------------------------------------------------------------------------------

def check_values(acts, committed):
    """Section 4.1 (parts `randomness.<name>` and `contribution.<party>`). Returns {party: 32 bytes as hex}."""
    for act in acts:
        if act.kind == "randomness":
            name, value = act.args[0], unescape(act.args[1])
            if value == "":
                fail(f"randomness.{name}", "the value is empty")
            if canonical_value2(value) != value:
                fail(f"randomness.{name}", f"the value '{show(value)}' is not canonical: expected "
                                           f"'{show(canonical_value2(value))}' (section 4.1)")
    contributions = {}
    for act in acts:
        if act.kind == "contribution":
            party, value = act.args[0], unescape(act.args[1])
            if not is_hex64(value):
                fail(f"contribution.{party}", f"'{show(value)}' is not 64 lowercase hex characters")
            digest = hashlib.sha256(bytes.fromhex(value)).hexdigest()
            if digest != committed[party]:
                fail(f"contribution.{party}", f"its SHA-256 is {digest} but the commitment has "
                                              f"'contribution|{party}|{committed[party]}'")
            contributions[party] = value
    return contributions


class Keys2:
    """Section 4.2: PRK = HMAC-SHA256(SHA-256(commitment), randomness text); key(label) = HMAC-SHA256(PRK, label ||
    0x01). HMAC (RFC 2104) is computed from the two precomputed pad states, which is the same function, faster."""

    def __init__(self, commitment, randomness_text):
        salt = hashlib.sha256(utf8(commitment)).digest()
        self.prk = hmac.digest(salt, utf8(randomness_text), "sha256")
        block = self.prk.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
        assert self.key("self-test") == hmac.digest(self.prk, b"self-test\x01", "sha256")

    def key(self, label):
        inner = self._inner.copy()
        inner.update(utf8(label) + b"\x01")
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def keys_with_prefix(self, prefix, suffixes):
        """[key(prefix + s) for s in suffixes], the prefix absorbed once (the bulk of section 6 step 1)."""
        start = self._inner.copy()
        start.update(utf8(prefix))
        outer, result = self._outer, []
        for suffix in suffixes:
            inner = start.copy()
            inner.update(suffix)  # UTF-8 of the rest of the label, then 0x01
            o = outer.copy()
            o.update(inner.digest())
            result.append(o.digest())
        return result


def randomness_text(randomness, contributions):
    """Section 4.2: the canonical file of `R|<name>|<value>` per declared source and `K|<party>|<hex>`."""
    lines = [f"R|{name}|{escape(unescape(act.args[1]))}" for name, act in randomness.items()]
    lines += [f"K|{party}|{value}" for party, value in contributions.items()]
    return make_file(lines)


# --- sections 5 to 8: the draw ---------------------------------------------------------------------------------------

class Draw2:
    """Sections 5 (selection), 6 (teams), 7 (recusals and replacements) and 8 (batches)."""

    def __init__(self, keys, params, strata, quotas, inspector_rows, conflict_rows):
        self.keys, self.params = keys, params
        # by inspectorId bytewise, so that a position in this list breaks ties "by i" (section 6 step 1)
        self.inspectors = sorted(((f[1], f[2], f[3] == "1") for f in inspector_rows), key=lambda x: utf8(x[0]))
        self._label_ends = [utf8(i) + b"\x01" for i, _, _ in self.inspectors]
        self.expert = {i: e for i, _, e in self.inspectors}
        # with team lines, inspectors of other departments can never fill a slot: they need no key (a shortcut only)
        self._departments = None if "*" in params.slots else set(params.slots)
        self.conflicts = {}  # targetId -> inspectors with a `C|i|t` line
        for f in conflict_rows:
            self.conflicts.setdefault(f[2], set()).add(f[1])
        self.load = {i: 0 for i, _, _ in self.inspectors}
        self.recused = set()        # (inspectorId, targetId)
        self._rankings = {}         # targetId -> candidate ranking (section 6 step 1), computed once
        self.select(strata, quotas)

    # section 5
    def select(self, strata, quotas):
        """Rank each stratum by k_t = key("T|" + s + "|" + t), ties by t; take the first quota_s targets."""
        self.ranking, self.used, self.stratum_of, lines, order = {}, {}, {}, [], []
        for s, targets in strata.items():
            keyed = sorted((self.keys.key(f"T|{s}|{t}"), t.encode("utf-8"), t) for t in targets)
            self.ranking[s] = [t for _, _, t in keyed]
            self.used[s] = quotas[s]  # the last rank used so far (section 7)
            for rank, (k, _, t) in enumerate(keyed[:quotas[s]], 1):
                lines.append(f"S|{s}|{rank:07d}|{t}|{k.hex()}")
                order.append((s.encode("utf-8"), rank, t))
                self.stratum_of[t] = s
        self.targets_text = make_file(lines)
        # section 6: processing order by stratum (escaped, bytewise), then rank
        self.processing = [t for _, _, t in sorted(order)]

    # section 6
    def candidates(self, t):
        """Step 1: inspectors without a `C|i|t` line, by key("I|" + t + "|" + i) ascending, ties by i."""
        ranking = self._rankings.get(t)
        if ranking is None:
            excluded = self.conflicts.get(t, ())
            wanted = self._departments  # None: any department may fill a slot
            allowed = [n for n, (i, d, _) in enumerate(self.inspectors)
                       if i not in excluded and (wanted is None or d in wanted)]
            keys = self.keys.keys_with_prefix(f"I|{t}|", [self._label_ends[n] for n in allowed])
            ranking = self._rankings[t] = [self.inspectors[n] for _, n in sorted(zip(keys, allowed))]
        return ranking

    def fill(self, t, department, others, last_open):
        """Step 3 for one slot: the first candidate of the ranking that belongs to the department (or it is `*`),
        is not among `others`, is not recused from t, has load below L (L > 0), and is not an expert taking the
        last open slot while no member so far is a non-expert. Takes it (load + 1) or returns None (`-`)."""
        cap = self.params.load_cap
        has_non_expert = any(m is not None and not self.expert[m] for m in others)
        for i, d, e in self.candidates(t):
            if department != "*" and d != department:
                continue
            if i in others or (i, t) in self.recused:
                continue
            if cap > 0 and self.load[i] >= cap:
                continue
            if e and last_open and not has_non_expert:
                continue
            self.load[i] += 1
            return i
        return None

    def form_team(self, t):
        """Steps 2 and 3: the slots in order (lead department first); the last slot is the last open one."""
        slots, members = self.params.slots, []
        for j, department in enumerate(slots):
            members.append(self.fill(t, department, members, j == len(slots) - 1))
        return members

    def draw_teams(self):
        """The initial teams, in processing order. Returns the `teams` output."""
        self.teams = {}  # the current selection: targetId -> members (None = empty slot)
        for t in self.processing:
            self.teams[t] = self.form_team(t)
        slots = self.params.slots
        self.teams_text = make_file(f"M|{t}|{j + 1:02d}|{m or '-'}|{slots[j]}"
                                    for t, members in self.teams.items() for j, m in enumerate(members))
        return self.teams_text

    # section 8
    def batches_text(self):
        """Order the initially selected targets by key("B|" + t), ties by t; batch j takes the next
        floor(n/B) + (1 if j <= n mod B) targets. Empty when B = 1."""
        b = self.params.batches
        if b <= 1:
            return ""
        order = sorted((self.keys.key(f"B|{t}"), t.encode("utf-8"), t) for t in self.processing)
        n, lines, pos = len(order), [], 0
        for j in range(1, b + 1):
            size = n // b + (1 if j <= n % b else 0)
            lines += [f"B|{j:03d}|{t}" for _, _, t in order[pos:pos + size]]
            pos += size
        return make_file(lines)

    # section 7
    def apply(self, acts):
        """Apply the `inspector` and `target` acts in act order, numbered 0001, …; fail `replacements` for one
        that does not apply. Returns the `replacements` output."""
        lines, replaced, seq = [], set(), 0
        slots = self.params.slots
        for act in acts:
            if act.kind not in ("inspector", "target"):
                continue
            seq += 1
            t = act.args[0]
            where = f"act {act.n} ({act.kind}, {seq:04d})"
            if t not in self.teams:
                fail("replacements", f"{where}: the target {t} is not currently selected")
            if act.kind == "inspector":
                i, members = act.args[1], self.teams[t]
                if i not in members:
                    fail("replacements", f"{where}: the inspector {i} is not in the current team of target {t}")
                j = members.index(i)
                self.recused.add((i, t))
                self.load[i] -= 1
                members[j] = None
                others = members[:j] + members[j + 1:]
                members[j] = self.fill(t, slots[j], others, True)
                lines.append(f"R|{seq:04d}|inspector|{t}|{i}|{members[j] or '-'}")
            else:
                new = replace_target(self, t, replaced)
                lines.append(f"R|{seq:04d}|target|{t}|{new or '-'}")
                if new is not None:
                    for j, m in enumerate(self.teams[new]):
                        lines.append(f"R|{seq:04d}|member|{new}|{j + 1:02d}|{m or '-'}|{slots[j]}")
        return make_file(lines)


# --- section 10: the record ------------------------------------------------------------------------------------------

def read_record2(record):
    """Section 10: the members a verifier needs, each of its JSON type (otherwise the record is unreadable)."""
    def string(obj, name, where=""):
        v = obj.get(name)
        if not isinstance(v, str):
            raise Unreadable(f"{where}{name} is missing or not a string")
        return v

    def members(name, names):
        obj = record.get(name)
        if not isinstance(obj, dict):
            raise Unreadable(f"'{name}' is missing or not an object")
        return {n: string(obj, n, f"{name}.") for n in names}

    files = members("files", FILES_2)
    outputs = members("outputs", OUTPUTS_2)
    acts = record.get("acts")
    if not isinstance(acts, list) or not all(isinstance(a, str) for a in acts):
        raise Unreadable("'acts' is missing or not a list of strings")
    return {"drawId": string(record, "drawId"), "files": files, "outputs": outputs, "acts": acts,
            "commitment": string(record, "commitment"), "commitmentSha256": string(record, "commitmentSha256"),
            "recordSha256": string(record, "recordSha256")}


def verify_v2(record, expect_commitment=None, expect_record=None):
    """Verify a supervision-draw/2 record in the order of section 10; raise Mismatch at the first failure."""
    # 1. algorithm
    if record.get("algorithm") != ALGORITHM_2:
        fail("algorithm", f"expected '{ALGORITHM_2}' record has '{show(str(record.get('algorithm')))}'")
    r = read_record2(record)
    files, outputs, draw_id = r["files"], r["outputs"], r["drawId"]

    # 2. canonical files, then canonical outputs
    rows = {}
    for name in FILES_2:
        rows[name] = check_canonical(f"canonical.{name}", files[name], FILE_FORMS[name])
        if name == "inspectors":
            check_unique_inspectors(rows[name])
    for name in OUTPUTS_2:
        check_canonical(f"canonical.outputs.{name}", outputs[name], OUTPUT_FORMS[name])

    # 3. commitment, commitmentSha256, expect.commitment
    committed = check_commitment2(draw_id, files, r["commitment"])
    actual = sha256_hex2(r["commitment"])
    if actual != r["commitmentSha256"]:
        fail("commitmentSha256", f"the commitment hashes to {actual}, record has '{show(r['commitmentSha256'])}'")
    if expect_commitment is not None and expect_commitment != r["commitmentSha256"]:
        fail("expect.commitment", f"the published commitment hash is '{show(expect_commitment)}', "
                                  f"record has {r['commitmentSha256']}")

    # 4. files.parameters, files.targets, files.sources, files.quotas
    params = Parameters2(rows["parameters"], draw_id)
    strata = check_targets2(rows["targets"], params)
    sources = check_sources2(rows["sources"])
    quotas = check_quotas2(params, strata, files["quotas"])

    # 5. acts, recordSha256, expect.record
    acts = parse_acts(r["acts"])
    randomness, _, draw = check_act_rules(acts, sources)
    chain = record_hash(r["commitmentSha256"], acts)
    if chain != r["recordSha256"]:
        fail("recordSha256", f"the acts chain to {chain}, record has '{show(r['recordSha256'])}'")
    if expect_record is not None and expect_record != r["recordSha256"]:
        fail("expect.record", f"the published record hash is '{show(expect_record)}', record has {r['recordSha256']}")

    # 6. randomness.<name>, contribution.<party>
    contributions = check_values(acts, committed)

    # 7. the draw
    if draw is None:
        for name in OUTPUTS_2:
            if outputs[name]:
                fail(f"outputs.{name}", "there is no draw act, so the output must be empty")
        return
    keys = Keys2(r["commitment"], randomness_text(randomness, contributions))
    engine = Draw2(keys, params, strata, quotas, rows["inspectors"], rows["conflicts"])
    compare_lines("outputs.targets", engine.targets_text, outputs["targets"])
    compare_lines("outputs.teams", engine.draw_teams(), outputs["teams"])
    if not params.partial_teams:
        for t, members in engine.teams.items():
            if None in members:
                fail("outputs.teams", f"target {t} has an empty slot {members.index(None) + 1:02d} "
                                      f"under P|partial-teams|0")
    compare_lines("outputs.batches", engine.batches_text(), outputs["batches"])
    for name, value in zip(("targets", "teams", "batches"), draw.args):
        if value != sha256_hex2(outputs[name]):
            fail("acts.draw", f"the draw act (act {draw.n}) has '{show(value)}' for outputs.{name}, "
                              f"whose SHA-256 is {sha256_hex2(outputs[name])}")

    # 8. recusals and replacements
    compare_lines("outputs.replacements", engine.apply(acts), outputs["replacements"])


def load_record(path):
    """Read the record (UTF-8 JSON). Returns (record, whether some JSON object had a duplicate member)."""
    duplicates = []

    def pairs(items):
        obj = {}
        for k, v in items:
            if k in obj:
                duplicates.append(k)
            obj[k] = v
        return obj

    with open(path, "rb") as fh:
        record = json.loads(fh.read().decode("utf-8"), object_pairs_hook=pairs)
    if not isinstance(record, dict):
        raise Unreadable("the record is not a JSON object")
    return record, bool(duplicates)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Verify a supervision-draw/1 or supervision-draw/2 record offline.")
    parser.add_argument("record", help="the draw record (JSON)")
    parser.add_argument("--expect-commitment", metavar="HEX",
                        help="the published commitment hash (commitmentSha256)")
    parser.add_argument("--expect-record", metavar="HEX",
                        help="the published record hash (recordSha256; supervision-draw/2 only)")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # hostile texts must not crash the printing
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    expect_commitment = args.expect_commitment.strip().lower() if args.expect_commitment is not None else None
    expect_record = args.expect_record.strip().lower() if args.expect_record is not None else None
    result = "MATCH"
    try:
        record, duplicate_members = load_record(args.record)
        algorithm = record.get("algorithm")
        if algorithm == ALGORITHM_2:
            if duplicate_members:
                raise Unreadable("a JSON object has the same member twice")
            verify_v2(record, expect_commitment, expect_record)
            if expect_commitment is None and expect_record is None:
                result = ("MATCH (consistent, but not checked against published hashes: "
                          "give --expect-commitment and --expect-record)")
            elif expect_record is None:
                result = ("MATCH (consistent, commitment hash as published, but the record hash not checked: "
                          "give --expect-record)")
            elif expect_commitment is None:
                result = ("MATCH (consistent, record hash as published, but the commitment hash not checked: "
                          "give --expect-commitment)")
        else:
            try:  # supervision-draw/1, unchanged (it also reports any other algorithm id)
                verify(record, expect_commitment, expect_record)
            except Unreadable:
                if algorithm == ALGORITHM:
                    raise
                # neither /1 nor /2: the algorithm is the first check of both specifications
                raise Mismatch(f"algorithm: expected '{ALGORITHM}' or '{ALGORITHM_2}' record has "
                               f"'{show(str(algorithm))}'") from None
    except (OSError, ValueError, Unreadable, RecursionError) as exc:
        print(f"UNREADABLE: {exc}", file=sys.stderr)
        return 2
    except Mismatch as exc:
        print(f"MISMATCH: {exc}")
        return 1
    except Exception as exc:  # never a traceback on hostile input
        print(f"UNREADABLE: the record could not be processed ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
