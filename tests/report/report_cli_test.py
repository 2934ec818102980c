#!/usr/bin/env python3
"""Tests of the policy report and the CSV export as a user runs them, driven by ctest.

    report_cli_test.py CHECK --lokalmat BIN --source-dir DIR [--chromium CHROMIUM]

CHECK is one of
  html            the page is valid HTML (balanced tags, well-formed SVG), self-contained (no scripts,
                  no fetched fonts or images), one <svg> per chart section, the expected number of
                  series per chart, axis labels with units
  numbers         every number of the summary table equals the mean and 5-95% range recomputed from
                  the run files with h5py/numpy; chart points equal the recomputed weekly means
  compare         `lokalmat compare` gives the same page, byte for byte, as `lokalmat report` on run
                  files of the same scenarios and seeds
  csv             `lokalmat export --csv` round-trips to the HDF5 values, with units in the header
  lang            --lang nb (the default) and --lang en: the page's words in each language
  unlawful        a scenario with a rule that is not lawful (quota-30) carries its warning
  chromium        headless Chromium opens the page with no console messages, and its screenshot is
                  not blank
Exit status 0 when every assertion holds; otherwise each failure is printed.
"""
import argparse
import csv
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from script_checks import check, describe, run_check  # noqa: E402

try:
    import h5py
    import numpy as np
except ImportError as e:
    sys.exit(f"report_cli_test.py: {e}; run with a Python that has h5py and numpy (python3-h5py)")

ARGS = None
YEARS = 3     # short runs keep the checks quick, yet hold a tender (2026) and an election (2027)
SEEDS = (1, 2, 3)
CHART_SECTIONS = ("local-share", "by-category", "work", "cost", "backing", "seasons")


def lokalmat(*args, timeout=600):
    return subprocess.run([ARGS.lokalmat, *args], cwd=ARGS.source_dir, capture_output=True, text=True,
                          timeout=timeout)


def make_runs(tmp, scenarios, seeds=SEEDS):
    """Run files, one per scenario and seed: {scenario: [paths]}."""
    out = {}
    for sc in scenarios:
        out[sc] = []
        for seed in seeds:
            path = os.path.join(tmp, f"{os.path.basename(sc)[:-5]}-{seed}.h5")
            p = lokalmat("run", sc, "--seed", str(seed), "--years", str(YEARS), "-o", path, "--force", "-q")
            if not check(p.returncode == 0, f"lokalmat run {sc} --seed {seed}: {describe(p)}"):
                raise RuntimeError("no run files")
            out[sc].append(path)
    return out


def make_report(tmp, runs, name="report.html", lang=None):
    path = os.path.join(tmp, name)
    files = [f for paths in runs.values() for f in paths]
    p = lokalmat("report", *files, "-o", path, *(["--lang", lang] if lang else []))
    if not check(p.returncode == 0, f"lokalmat report: {describe(p)}"):
        raise RuntimeError("no report")
    check(f"report: {path}" in p.stdout, f"report prints its path: {p.stdout}")
    with open(path, encoding="utf-8") as f:
        return f.read()


HORTEN = ("scenarios/horten/status-quo.toml", "scenarios/horten/exception.toml")


# ---------------------------------------------------------------- reading the page

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """The page as a tree of (tag, attrs, children, text) nodes, with tag-balance errors recorded."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.root = {"tag": "#root", "attrs": {}, "children": [], "text": ""}
        self.stack = [self.root]
        self.errors = []
        self.doctype = None
        self.feed(html)
        self.close()
        if len(self.stack) != 1:
            self.errors.append("unclosed: " + ", ".join(n["tag"] for n in self.stack[1:]))

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        node = {"tag": tag, "attrs": dict(attrs), "children": [], "text": ""}
        self.stack[-1]["children"].append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1]["children"].append({"tag": tag, "attrs": dict(attrs), "children": [], "text": ""})

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if len(self.stack) > 1 and self.stack[-1]["tag"] == tag:
            self.stack.pop()
        else:
            self.errors.append(f"</{tag}> closes <{self.stack[-1]['tag']}> (line {self.getpos()[0]})")

    def handle_data(self, data):
        self.stack[-1]["text"] += data


def walk(node):
    yield node
    for c in node["children"]:
        yield from walk(c)


def find_all(node, tag=None, cls=None, **attrs):
    out = []
    for n in walk(node):
        if tag and n["tag"] != tag:
            continue
        if cls and cls not in n["attrs"].get("class", "").split():
            continue
        if any(n["attrs"].get(k.replace("_", "-")) != v for k, v in attrs.items()):
            continue
        out.append(n)
    return out


def text_of(node):
    return node["text"] + "".join(text_of(c) for c in node["children"])


def chart_section(page, sid):
    found = [s for s in find_all(page.root, "section", "chart-section") if s["attrs"].get("id") == sid]
    return found[0] if found else None


def path_points(d):
    """Points of an SVG path of M/L commands: a list of (x, y)."""
    return [(float(x), float(y)) for x, y in re.findall(r"[ML](-?[\d.]+) (-?[\d.]+)", d)]


def panel_values(panel, path):
    """Read a series back in data units from its panel's plot rectangle and domains."""
    left, top, width, height = map(float, panel["attrs"]["data-plot"].split())
    ymin, ymax = map(float, panel["attrs"]["data-ydomain"].split())
    tolerance = 0.051 / height * (ymax - ymin)  # coordinates are written to 0.1 units
    return [ymin + (top + height - py) / height * (ymax - ymin) for _, py in path_points(path)], tolerance


# ---------------------------------------------------------------- recomputing from the files

def resolved_without_seed(toml):
    out, table = [], ""
    for line in toml.splitlines(keepends=True):
        if line.startswith("["):
            table = line[: line.index("]") + 1]
        if table == "[run]" and re.match(r"seed\s*=", line):
            continue
        out.append(line)
    return "".join(out)


def scenario_groups(files):
    """Run files grouped as the report groups them: [(title, [h5py.File...])] in first-seen order."""
    groups = {}
    for path in files:
        f = h5py.File(path, "r")
        key = resolved_without_seed(f.attrs["scenario_toml"])
        groups.setdefault(key, []).append(f)
    out = []
    for fs in groups.values():
        fs.sort(key=lambda f: int(f.attrs["seed"]))
        out.append((fs[0].attrs["title"], fs))
    return out


ROWS = {  # data-row -> value of one run file
    "local_share_value": lambda f: f["run/local_share_value"][()],
    "local_share_volume": lambda f: f["run/local_share_volume"][()],
    "work_hours_per_year": lambda f: f["run/work_hours_per_year"][()],
    "participants_engaged_mean": lambda f: f["run/participants_engaged_mean"][()],
    "cost_per_meal_nok": lambda f: f["run/cost_per_meal_nok"][()],
    "extra_cost_nok_per_year": lambda f: f["run/premium_nok_per_year"][()] + f["run/hub_cost_nok_per_year"][()],
    "farm_income_nok_per_year": lambda f: f["run/farm_income_nok_per_year"][()],
    "co2e_kg_per_year": lambda f: f["run/co2e_kg_per_year"][()],
    "index_economic": lambda f: f["run/index_economic"][()],
    "index_social": lambda f: f["run/index_social"][()],
    "index_environmental": lambda f: f["run/index_environmental"][()],
    "index_cultural": lambda f: f["run/index_cultural"][()],
}


def band(values):
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return v.mean(), np.percentile(v, 5), np.percentile(v, 95)  # numpy's default is Hyndman-Fan type 7


def close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def block_ratio(share, weight, block):
    out = []
    for start in range(0, len(share), block):
        s, w = share[start:start + block], weight[start:start + block]
        ok = np.isfinite(s) & np.isfinite(w)
        den = w[ok].sum()
        out.append((s[ok] * w[ok]).sum() / den if den > 0 else math.nan)
    return np.array(out)


def by_week_of_year(share, weight, iso):
    out = []
    for k in range(1, 54):
        m = (iso == k) & np.isfinite(share) & np.isfinite(weight)
        den = weight[m].sum()
        out.append((share[m] * weight[m]).sum() / den if den > 0 else math.nan)
    return np.array(out)


def categories_bought(groups):
    names = []
    for _, fs in groups:
        cat = fs[0]["weekly/by_category/food_spend_nok"]
        for j, n in enumerate(cat.attrs["names"]):
            if any((f["weekly/by_category/food_spend_nok"][:, j] > 0).any() for f in fs) and n not in names:
                names.append(n)
    return names


# ---------------------------------------------------------------- checks

def check_html():
    with tempfile.TemporaryDirectory() as tmp:
        runs = make_runs(tmp, HORTEN)
        html = make_report(tmp, runs, lang="en")
        page = Page(html)
        check(not page.errors, f"tags balanced: {page.errors[:5]}")
        check(page.doctype and page.doctype.lower() == "doctype html", f"<!DOCTYPE html>: {page.doctype}")
        check(find_all(page.root, "meta", charset="utf-8"), "<meta charset=utf-8>")
        # self-contained: nothing to fetch, nothing to run
        for bad in ("<script", "<link", "<img", "<iframe", "@import", "url(", "src="):
            check(bad not in html, f"the page holds no {bad!r}")
        check(re.findall(r"https?://", html) == ["http://"] * html.count("xmlns=\"http://www.w3.org/2000/svg\""),
              "the only URL is the SVG namespace")
        # each SVG is well-formed XML on its own
        for m in re.finditer(r"<svg.*?</svg>", html, re.S):
            try:
                ET.fromstring(m.group(0))
            except ET.ParseError as e:
                check(False, f"an SVG is not well-formed XML: {e}")
        sections = find_all(page.root, "section", "chart-section")
        check([s["attrs"]["id"] for s in sections] == list(CHART_SECTIONS),
              f"chart sections {[s['attrs']['id'] for s in sections]}")
        check(len(find_all(page.root, "svg")) == len(CHART_SECTIONS), "no SVG outside the chart sections")
        groups = scenario_groups([f for v in runs.values() for f in v])
        n, cats = len(groups), len(categories_bought(groups))
        expected = {"local-share": n, "by-category": n * cats, "work": n, "cost": n, "backing": n, "seasons": n}
        units = {"local-share": "(%)", "by-category": "(%)", "work": "(hours)", "cost": "(NOK)",
                 "backing": "(0–1)", "seasons": "(%)"}
        for sid in CHART_SECTIONS:
            sec = chart_section(page, sid)
            svgs = find_all(sec, "svg")
            check(len(svgs) == 1, f"{sid}: one <svg>, found {len(svgs)}")
            check(find_all(sec, "h2") and text_of(find_all(sec, "h2")[0]).strip(), f"{sid}: a heading")
            everything = find_all(sec, "path", "series")
            series = [p for p in everything if "reference" not in p["attrs"]["class"].split()]
            check(len(series) == expected[sid], f"{sid}: {len(series)} series, expected {expected[sid]}")
            reference = len(everything) - len(series)
            if sid == "cost":  # the budget: one line when it is the same in every scenario, else one each
                check(reference in (1, n), f"cost: {reference} budget lines")
            else:
                check(reference == 0, f"{sid}: {reference} reference lines")
            check(all(s["attrs"].get("d", "").startswith("M") for s in series), f"{sid}: every series is drawn")
            bands = find_all(sec, "path", "band")
            check(len(bands) >= n, f"{sid}: {len(bands)} uncertainty bands")
            xl, yl = find_all(sec, "text", "axis-label"), None
            labels = {("x" if "x" in t["attrs"]["class"].split() else "y"): text_of(t) for t in xl}
            yl = labels.get("y", "")
            check(units[sid] in yl, f"{sid}: y axis label {yl!r} has the unit {units[sid]}")
            check(labels.get("x") in ("Year", "Week of year (ISO week)"), f"{sid}: x axis label {labels.get('x')!r}")
            check(len(find_all(sec, "text", "tick")) >= 6, f"{sid}: tick labels")
            legend = [e["attrs"]["data-label"] for e in find_all(sec, "g", "legend-entry")]
            check(all(t in legend for t, _ in groups), f"{sid}: the legend names every scenario: {legend}")
        # markers: elections and tenders on the local share and backing charts
        for sid in ("local-share", "backing"):
            sec = chart_section(page, sid)
            check(find_all(sec, "g", "marker-election"), f"{sid}: an election marker")
            check(find_all(sec, "g", "marker-tender"), f"{sid}: a tender marker")
        # the table: one value cell per row and scenario, a difference cell per later scenario
        cells = find_all(page.root, "td", "value")
        check(len(cells) == len(ROWS) * n, f"{len(cells)} summary value cells, expected {len(ROWS) * n}")
        check(len(find_all(page.root, "td", "diff")) == len(ROWS) * (n - 1), "difference cells")
        # the assumptions: the keys that differ between status quo and the exception
        keys = [r["attrs"]["data-key"] for r in find_all(page.root, "tr") if "data-key" in r["attrs"]]
        check("municipalities.horten.hub.enabled" in keys and "municipalities.horten.rules" in keys,
              f"differing parameters listed: {keys}")
        check("run.seed" not in keys and "title" not in keys, "seed and title are not parameters")
        for f in [f for _, fs in groups for f in fs]:
            f.close()


def check_numbers():
    with tempfile.TemporaryDirectory() as tmp:
        runs = make_runs(tmp, HORTEN)
        html = make_report(tmp, runs)
        page = Page(html)
        groups = scenario_groups([f for v in runs.values() for f in v])
        check(len(groups) == 2, f"two scenarios from six files, found {len(groups)}")
        # the summary table
        for i, (title, fs) in enumerate(groups):
            check(len(fs) == len(SEEDS), f"{title}: {len(fs)} replicates")
            for row, value in ROWS.items():
                cell = find_all(page.root, "td", "value", data_row=row, data_scenario=str(i))
                if not check(len(cell) == 1, f"cell {row} of scenario {i}"):
                    continue
                a = cell[0]["attrs"]
                want = band([value(f) for f in fs])
                got = (float(a["data-mean"]), float(a["data-p05"]), float(a["data-p95"]))
                check(all(close(g, w) for g, w in zip(got, want)), f"{row} / {title}: page {got}, files {want}")
                if i == 0:
                    continue
                diff = find_all(page.root, "td", "diff", data_row=row, data_scenario=str(i))
                paired = [value(f) - value(g) for f, g in zip(fs, groups[0][1])]
                want = band(paired)
                got = tuple(float(diff[0]["attrs"][k]) for k in ("data-mean", "data-p05", "data-p95"))
                check(all(close(g, w, 1e-7) for g, w in zip(got, want)), f"{row} difference: page {got}, files {want}")
        # the shown text is the mean rounded (nb: decimal comma)
        cell = find_all(page.root, "td", "value", data_row="local_share_value", data_scenario="1")[0]
        shown = text_of(cell).split("(")[0].strip()
        want = f"{float(cell['attrs']['data-mean']) * 100:.1f}".replace(".", ",")
        check(shown == want, f"local share shown as {shown!r}, expected {want!r}")
        # charts: the local share line (4-week blocks) and the seasons line, read back from the SVG
        for sid, compute in (
                ("local-share", lambda f: block_ratio(f["weekly/local_share_value"][()], f["weekly/food_spend_nok"][()], 4)),
                ("seasons", lambda f: by_week_of_year(f["weekly/local_share_value"][()], f["weekly/food_spend_nok"][()],
                                                      f["weekly/iso_week"][()]))):
            sec = chart_section(page, sid)
            panel = find_all(sec, "g", "panel")[0]
            for title, fs in groups:
                path = [p for p in find_all(panel, "path", "series") if p["attrs"]["data-series"] == title]
                if not check(len(path) == 1, f"{sid}: a line for {title}"):
                    continue
                got, tol = panel_values(panel, path[0]["attrs"]["d"])
                per_seed = np.array([compute(f) for f in fs])
                with np.errstate(invalid="ignore"):
                    mean = np.nanmean(per_seed, axis=0) * 100
                mean = mean[np.isfinite(mean)]
                check(len(got) == len(mean), f"{sid} / {title}: {len(got)} points, expected {len(mean)}")
                bad = [(k, g, w) for k, (g, w) in enumerate(zip(got, mean)) if abs(g - w) > tol]
                check(not bad, f"{sid} / {title}: points differ from the files (index, page, files): {bad[:3]}")
        for f in [f for _, fs in groups for f in fs]:
            f.close()


def check_compare():
    with tempfile.TemporaryDirectory() as tmp:
        runs = make_runs(tmp, HORTEN, seeds=(1, 2))
        from_files = make_report(tmp, runs, "files.html")
        out = os.path.join(tmp, "compare.html")
        p = lokalmat("compare", *HORTEN, "--replicates", "2", "--years", str(YEARS), "-o", out)
        check(p.returncode == 0 and f"report: {out}" in p.stdout, f"lokalmat compare: {describe(p)}")
        with open(out, encoding="utf-8") as f:
            compared = f.read()
        check(compared == from_files, "compare and report on the same runs give the same page")
        # bad input: a wrong language, a missing file
        p = lokalmat("compare", *HORTEN, "--lang", "nn", "-o", out)
        check(p.returncode == 2, f"--lang nn refused with exit 2: {describe(p)}")
        p = lokalmat("report", os.path.join(tmp, "missing.h5"), "-o", out)
        check(p.returncode == 2, f"a missing run file refused with exit 2: {describe(p)}")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def split_header(h):
    m = re.fullmatch(r"(.*) \[(.*)\]", h)
    return (m.group(1), m.group(2)) if m else (h, "")


def same(cell, value):
    return (cell == "" and math.isnan(value)) or (cell != "" and float(cell) == value)


def check_csv():
    with tempfile.TemporaryDirectory() as tmp:
        run = make_runs(tmp, ("scenarios/horten.toml",), seeds=(4,))["scenarios/horten.toml"][0]
        out = os.path.join(tmp, "csv")
        p = lokalmat("export", run, "--csv", out)
        check(p.returncode == 0, f"lokalmat export: {describe(p)}")
        with h5py.File(run, "r") as f:
            w = f["weekly"]
            weeks = [d.decode() for d in w["week_start"][()]]
            head, rows = read_csv(os.path.join(out, "weekly.csv"))
            check(len(rows) == len(weeks), f"weekly.csv: {len(rows)} rows for {len(weeks)} weeks")
            check([r[0] for r in rows] == weeks, "weekly.csv: week_start column")
            check([int(r[1]) for r in rows] == list(w["iso_week"][()]), "weekly.csv: iso_week column")
            metrics = [k for k, d in w.items() if isinstance(d, h5py.Dataset) and d.dtype.kind == "f"]
            names = [split_header(h)[0] for h in head[2:]]
            check(sorted(names) == sorted(metrics), f"weekly.csv: a column per metric ({len(names)} of {len(metrics)})")
            for j, h in enumerate(head[2:], start=2):
                name, unit = split_header(h)
                if name not in w:
                    continue
                check(unit == w[name].attrs["units"], f"weekly.csv: {name} unit {unit!r}")
                data = w[name][()]
                bad = [k for k, r in enumerate(rows) if not same(r[j], data[k])]
                check(not bad, f"weekly.csv: {name} differs from the file in weeks {bad[:5]}")
            # the breakdowns, in long format
            for group, column in (("by_category", "category"), ("by_buyer_type", "buyer_type"),
                                  ("by_municipality", "municipality")):
                g = w[group]
                members = list(g.attrs["names"])
                head, rows = read_csv(os.path.join(out, f"weekly_{group}.csv"))
                check(head[2] == column, f"weekly_{group}.csv: third column {head[2]!r}")
                check(len(rows) == len(weeks) * len(members), f"weekly_{group}.csv: {len(rows)} rows")
                for j, h in enumerate(head[3:], start=3):
                    name, unit = split_header(h)
                    data = g[name][()]
                    check(unit == g[name].attrs["units"], f"weekly_{group}.csv: {name} unit")
                    bad = [k for k, r in enumerate(rows)
                           if r[2] != members[k % len(members)] or not same(r[j], data[k // len(members), k % len(members)])]
                    check(not bad, f"weekly_{group}.csv: {name} differs in rows {bad[:5]}")
            head, rows = read_csv(os.path.join(out, "summary.csv"))
            check(head == ["figure", "value", "units", "description"], f"summary.csv header {head}")
            check(len(rows) == len(f["run"]), f"summary.csv: {len(rows)} figures of {len(f['run'])}")
            for name, value, unit, desc in rows:
                d = f["run"][name]
                check(float(value) == d[()] and unit == d.attrs["units"] and desc == d.attrs["description"],
                      f"summary.csv: {name}")


def check_lang():
    with tempfile.TemporaryDirectory() as tmp:
        runs = make_runs(tmp, HORTEN, seeds=(1, 2))
        words = {
            "nb": ["Lokal andel", "Kostnad per måltid", "Arbeidstimer", "Politisk støtte", "Valg", "Anbud",
                   "Forutsetninger", "Regler i hvert scenario", "Sesongene"],
            "en": ["Local share", "Cost per meal", "Work hours", "Political backing", "Election", "Tender",
                   "Assumptions", "Rules in each scenario", "The seasons"],
        }
        default = make_report(tmp, runs, "default.html")
        for lang in ("nb", "en"):
            html = make_report(tmp, runs, f"{lang}.html", lang)
            page = Page(html)
            check(find_all(page.root, "html")[0]["attrs"].get("lang") == lang, f"<html lang={lang}>")
            text = text_of(page.root)
            for w in words[lang]:
                check(w in text, f"--lang {lang}: the page says {w!r}")
            other = words["en" if lang == "nb" else "nb"]
            for w in other[:4]:
                check(w not in text, f"--lang {lang}: the page does not say {w!r}")
            if lang == "nb":
                check(html == default, "nb is the default language")
                check(re.search(r"\d,\d", text), "nb: decimal comma")
            else:
                check(re.search(r"\d\.\d", text), "en: decimal point")


def check_unlawful():
    with tempfile.TemporaryDirectory() as tmp:
        runs = make_runs(tmp, ("scenarios/horten/exception.toml", "scenarios/horten/quota-30.toml"), seeds=(1, 2))
        for lang, word in (("nb", "Ikke lovlig"), ("en", "Not lawful")):
            html = make_report(tmp, runs, f"{lang}.html", lang)
            page = Page(html)
            with h5py.File(runs["scenarios/horten/quota-30.toml"][0], "r") as f:
                check(f.attrs["lawful"] == 0, "quota-30 is marked not lawful in its file")
                title, reason = f.attrs["title"], f.attrs["lawful_reason"]
            warnings = find_all(page.root, "div", "not-lawful")
            check(len(warnings) >= 2, f"{lang}: a warning at the top and in the rules section ({len(warnings)})")
            check(all(word in text_of(w) for w in warnings), f"{lang}: each warning says {word!r}")
            check(any(reason in text_of(w) for w in warnings), f"{lang}: the file's lawful_reason is shown")
            header = find_all(page.root, "header")[0]
            check(find_all(header, "div", "not-lawful") and title in text_of(header),
                  f"{lang}: the banner at the top names the scenario")
            rows = {r["attrs"]["data-scenario"]: r for r in find_all(page.root, "tr") if "data-lawful" in r["attrs"]}
            check(rows.get("0", {}).get("attrs", {}).get("data-lawful") == "1", f"{lang}: the exception is lawful")
            check(rows.get("1", {}).get("attrs", {}).get("data-lawful") == "0", f"{lang}: quota-30 is not lawful")
            check(not find_all(rows["0"], "div", "not-lawful"), f"{lang}: no warning on the lawful scenario")
            badge = [t for t in find_all(page.root, "th") if t["attrs"].get("data-scenario") == "1"]
            check(badge and word in text_of(badge[0]), f"{lang}: the summary table marks the scenario")


def png_stats(path):
    from PIL import Image  # python3-pil (tools/install-deps.sh)
    with Image.open(path) as im:
        rgb = im.convert("RGB")
        w, h = rgb.size
        pixels = list(rgb.getdata())
    non_white = sum(1 for p in pixels if min(p) < 235)
    coloured = sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 60)
    return w, h, non_white / len(pixels), coloured / len(pixels)


def check_chromium():
    browser = ARGS.chromium or shutil.which("chromium")
    if not check(browser and os.path.exists(browser), "chromium is installed (tools/install-deps.sh)"):
        return
    with tempfile.TemporaryDirectory() as tmp:
        runs = make_runs(tmp, HORTEN, seeds=(1, 2))
        make_report(tmp, runs, "report.html")
        shot = os.path.join(tmp, "shot.png")
        url = "file://" + os.path.join(tmp, "report.html")
        base = [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp}/profile",
                "--no-first-run", "--enable-logging=stderr", "--v=0"]
        p = subprocess.run([*base, f"--screenshot={shot}", "--window-size=1280,2000", url],
                           capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": tmp})
        check(p.returncode == 0, f"chromium --screenshot: {describe(p)}")
        console = [line for line in p.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
        check(not console, f"no console messages: {console[:5]}")
        if check(os.path.exists(shot), "a screenshot was written"):
            w, h, ink, colour = png_stats(shot)
            check((w, h) == (1280, 2000), f"screenshot size {w}x{h}")
            check(ink > 0.02, f"the screenshot is not blank ({ink:.1%} of pixels not white)")
            check(colour > 0.002, f"the screenshot shows the coloured charts ({colour:.2%} coloured pixels)")
        # the DOM as the browser built it: every chart parsed as SVG
        p = subprocess.run([*base, "--dump-dom", url], capture_output=True, text=True, timeout=180,
                           env={**os.environ, "HOME": tmp})
        check(p.returncode == 0, f"chromium --dump-dom: {describe(p)}")
        check(p.stdout.count("<svg") == len(CHART_SECTIONS), f"{p.stdout.count('<svg')} SVG elements in the DOM")


CHECKS = {"html": check_html, "numbers": check_numbers, "compare": check_compare, "csv": check_csv,
          "lang": check_lang, "unlawful": check_unlawful, "chromium": check_chromium}


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("check", choices=sorted(CHECKS))
    ap.add_argument("--lokalmat", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--chromium", default="")
    ARGS = ap.parse_args()
    return run_check(ARGS.check, CHECKS[ARGS.check])


if __name__ == "__main__":
    sys.exit(main())
