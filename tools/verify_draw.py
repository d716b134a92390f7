#!/usr/bin/env python3
"""Independent verifier for draws of algorithm `supervision-draw/1`.

Written from docs/draw-algorithm.md alone (Python 3 standard library only).

    python3 tools/verify_draw.py RECORD.json

prints MATCH and exits 0 when the record re-runs to the identical result;
prints "MISMATCH: <part> ..." and exits 1 at the first failed check (spec section 9 order);
exits 2 when the record cannot be read.
"""
import argparse
import hashlib
import hmac
import json
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


def compute_quotas(p, strata):
    kind, value = sampling_form(p)
    sizes = {s: len(ts) for s, ts in strata.items()}
    if kind == "fixed":
        quotas = {s: min(value, n) for s, n in sizes.items()}
    else:
        bp = {s: (value if kind == "ratio" else value.get(s, 0)) for s in sizes}
        num = {s: sizes[s] * bp[s] for s in sizes}
        total = -(-sum(num.values()) // 10000)
        quotas = {s: num[s] // 10000 for s in sizes}
        left = total - sum(quotas.values())
        # largest remainder first, ties to the bytewise-smaller stratum name (as written)
        order = sorted((s for s in sizes if num[s] % 10000), key=lambda s: (-(num[s] % 10000), s.encode("utf-8")))
        for s in order[:left]:
            quotas[s] += 1
        quotas = {s: min(q, sizes[s]) for s, q in quotas.items()}
    text = make_file(f"Q|{s}|{sizes[s]}|{quotas[s]}" for s in sizes)
    return quotas, text


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
                for m in self.teams.pop(t):
                    if m is not None:
                        self.load[m] -= 1
                replaced.add(t)
                s = self.stratum_of[t]
                ranking, new = self.ranking[s], None
                while self.used[s] < len(ranking):
                    c = ranking[self.used[s]]
                    self.used[s] += 1
                    if c not in self.teams and c not in replaced:
                        new = c
                        break
                lines.append(f"R|{seq}|target|{t}|{new or '-'}")
                if new is not None:
                    self.stratum_of[new] = s
                    self.teams[new] = self.form_team(new)
                    for j, m in enumerate(self.teams[new]):
                        lines.append(f"R|{seq}|member|{new}|{j + 1:02d}|{m or '-'}|{self.slots[j]}")
            else:
                raise Mismatch(f"{where}: unknown kind '{kind}'")
        return make_file(lines)


def verify(record):
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


def main(argv=None):
    parser = argparse.ArgumentParser(description="Verify a supervision-draw/1 record offline.")
    parser.add_argument("record", help="the draw record (JSON)")
    args = parser.parse_args(argv)
    try:
        with open(args.record, "rb") as fh:
            record = json.loads(fh.read().decode("utf-8"))
        if not isinstance(record, dict):
            raise Unreadable("the record is not a JSON object")
        verify(record)
    except (OSError, ValueError, Unreadable) as exc:
        print(f"UNREADABLE: {exc}", file=sys.stderr)
        return 2
    except Mismatch as exc:
        print(f"MISMATCH: {exc}")
        return 1
    print("MATCH")
    return 0


if __name__ == "__main__":
    sys.exit(main())
