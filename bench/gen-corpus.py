#!/usr/bin/env python3
"""Writes a deterministic corpus of annual reports for the CLI throughput benchmark.

    python3 bench/gen-corpus.py [--count 10000] [--out bench/out/corpus] [--seed 1]
    python3 bench/gen-corpus.py --single-file 100 --out bench/out/big-100mb.txt
    python3 bench/gen-corpus.py --single-file 10 --one-report --out bench/out/one-10mb.txt

Every report is one of six templates (the five samples in tests/fixtures/samples/ and
tests/fixtures/rules/clean-2023.txt), varied so that no two files are alike:

- the issuing body is replaced everywhere by a city + department (in the template's
  script: Simplified or Traditional);
- the reporting year is moved to 2019-2024 (the year before and after move with it;
  only numbers followed by 年 are touched, so phone and document numbers stay);
- the table numbers are kept, or all multiplied by the same factor (the sums still
  balance), or 1-3 of them are changed (the sums no longer balance);
- a paragraph of 0-20 sentences is added under 总体情况, so the files differ in size
  (about 7 KB on average);
- about one file in seven has CRLF line endings.

Files go into sub-folders of 100 (r000/00000.txt, ...). The same --count and --seed
always give byte-identical files. Only the Python standard library is used.

--single-file SIZE_MB writes one file instead (--out is its path): the same reports, in
the same order, concatenated (a blank line between them) until the file has at least
SIZE_MB × 10⁶ bytes — a crawl or a yearbook that holds many bodies' reports. With
--one-report it is a single report made that large: report 0 with its 总体情况 section
grown by paragraphs of the sentences above (one paragraph of about 2 KB per line).
"""

import argparse
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (path, body names to replace (longest first), reporting year, Traditional script?)
TEMPLATES = [
    ("tests/fixtures/samples/000_50e7ba10f32f5ee2.txt", ["常熟市科學技術局"], 2021, True),
    ("tests/fixtures/samples/001_db8b9a3c8d2b1499.txt", ["科学技术和工业信息化局"], 2021, False),
    ("tests/fixtures/samples/002_596eb627cbefc53e.txt", ["张家港市科学技术局", "张家港市科技局"], 2022, False),
    ("tests/fixtures/samples/003_dfabd5f7c7b088c2.txt", ["太仓市科学技术局"], 2020, False),
    ("tests/fixtures/samples/004_cf43867c2f1e63a9.txt", ["常熟市人民政府辦公室"], 2021, True),
    ("tests/fixtures/rules/clean-2023.txt", ["某某市某某局"], 2023, False),
]

# (Simplified, Traditional)
CITIES = [
    ("常熟市", "常熟市"), ("太仓市", "太倉市"), ("张家港市", "張家港市"), ("昆山市", "昆山市"),
    ("苏州市", "蘇州市"), ("无锡市", "無錫市"), ("南通市", "南通市"), ("扬州市", "揚州市"),
    ("镇江市", "鎮江市"), ("宜兴市", "宜興市"), ("江阴市", "江陰市"), ("吴江区", "吳江區"),
    ("相城区", "相城區"), ("姑苏区", "姑蘇區"), ("海门区", "海門區"), ("如皋市", "如皋市"),
    ("溧阳市", "溧陽市"), ("常州市", "常州市"), ("泰州市", "泰州市"), ("盐城市", "鹽城市"),
]
DEPARTMENTS = [
    ("科学技术局", "科學技術局"), ("教育局", "教育局"), ("财政局", "財政局"), ("民政局", "民政局"),
    ("人力资源和社会保障局", "人力資源和社會保障局"), ("自然资源和规划局", "自然資源和規劃局"),
    ("生态环境局", "生態環境局"), ("住房和城乡建设局", "住房和城鄉建設局"),
    ("交通运输局", "交通運輸局"), ("水务局", "水務局"), ("农业农村局", "農業農村局"),
    ("商务局", "商務局"), ("文化广电和旅游局", "文化廣電和旅遊局"),
    ("卫生健康委员会", "衛生健康委員會"), ("应急管理局", "應急管理局"), ("审计局", "審計局"),
    ("市场监督管理局", "市場監督管理局"), ("统计局", "統計局"), ("医疗保障局", "醫療保障局"),
    ("人民政府办公室", "人民政府辦公室"),
]
# Sentences for the added paragraph; {n} is replaced by a number.
SENTENCES = [
    ("全年通过政府门户网站主动公开政府信息{n}条，其中政策文件{m}件。",
     "全年通過政府門戶網站主動公開政府信息{n}條，其中政策文件{m}件。"),
    ("通过政务新媒体发布信息{n}条，回应社会关切{m}次。",
     "通過政務新媒體發布信息{n}條，回應社會關切{m}次。"),
    ("组织开展政务公开业务培训{m}次，参训人员{n}人次。",
     "組織開展政務公開業務培訓{m}次，參訓人員{n}人次。"),
    ("进一步完善政府信息公开指南和目录，及时更新机构职能、办事指南等基础信息。",
     "進一步完善政府信息公開指南和目錄，及時更新機構職能、辦事指南等基礎信息。"),
    ("严格落实公开前保密审查制度，全年未发生泄密事件。",
     "嚴格落實公開前保密審查制度，全年未發生泄密事件。"),
    ("围绕重点领域信息公开，公开财政预决算、重大项目等信息{n}条。",
     "圍繞重點領域信息公開，公開財政預決算、重大項目等信息{n}條。"),
    ("开展政策解读{m}篇，其中图文解读{m}篇、视频解读{k}个。",
     "開展政策解讀{m}篇，其中圖文解讀{m}篇、視頻解讀{k}個。"),
    ("依申请公开工作依法规范，所有申请均在法定期限内答复。",
     "依申請公開工作依法規范，所有申請均在法定期限內答復。"),
    ("加强政府信息管理，对现行有效的规范性文件进行集中清理。",
     "加強政府信息管理，對現行有效的規范性文件進行集中清理。"),
    ("持续推进基层政务公开标准化规范化建设，编制事项标准目录{k}项。",
     "持續推進基層政務公開標準化規范化建設，編制事項標準目錄{k}項。"),
]

YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})(?=\s*年)")
TABLE_NUMBER = re.compile(r"(?<![0-9.])[0-9]{1,6}(?![0-9.%年月日])")
PURE_CELL = re.compile(r"^\s*[0-9]{1,6}\s*\|?\s*$")
HEADING = re.compile(r"^\s*(一、|1、)\s*(总体情况|總體情況)\s*$")


def table_spans(lines):
    """(line index, start, end) of every table number: a cell alone on its line, or a
    number on a tab-separated row."""
    spans = []
    for li, line in enumerate(lines):
        if PURE_CELL.match(line) or "\t" in line:
            for m in TABLE_NUMBER.finditer(line):
                spans.append((li, m.start(), m.end()))
    return spans


def vary_tables(lines, rng):
    spans = table_spans(lines)
    mode = rng.choice(["keep", "scale", "scale", "perturb", "scale+perturb"])
    new = {}
    if "scale" in mode:
        k = rng.choice([2, 3, 4, 5])
        for s in spans:
            li, a, b = s
            new[s] = int(lines[li][a:b]) * k
    if "perturb" in mode and spans:
        for s in rng.sample(spans, min(len(spans), rng.randint(1, 3))):
            li, a, b = s
            old = new.get(s, int(lines[li][a:b]))
            new[s] = old + rng.randint(1, 9)
    # Replace right to left so the earlier offsets on a line stay valid.
    for (li, a, b), v in sorted(new.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        lines[li] = lines[li][:a] + str(v) + lines[li][b:]
    return mode


def paragraph(rng, trad):
    out = []
    for _ in range(rng.randint(0, 20)):
        s = rng.choice(SENTENCES)[1 if trad else 0]
        out.append(s.format(n=rng.randint(10, 3000), m=rng.randint(1, 80), k=rng.randint(1, 40)))
    return "".join(out)


def make(i, seed, templates):
    rng = random.Random(seed * 1_000_003 + i)
    text, bodies, year0, trad = templates[rng.randrange(len(templates))]
    city = rng.choice(CITIES)[1 if trad else 0]
    dept = rng.choice(DEPARTMENTS)[1 if trad else 0]
    body = city + dept
    for b in bodies:
        text = text.replace(b, body)
    year = rng.randint(2019, 2024)

    def shift(m):
        y = int(m.group(1))
        return str(y - year0 + year) if abs(y - year0) <= 1 else m.group(1)

    text = YEAR.sub(shift, text)
    lines = text.split("\n")
    vary_tables(lines, rng)
    extra = paragraph(rng, trad)
    if extra:
        at = next((k + 1 for k, l in enumerate(lines) if HEADING.match(l.rstrip("\r"))), 3)
        lines.insert(at, extra)
    text = "\n".join(lines)
    if rng.random() < 0.15:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text.encode("utf-8")


def one_report(size, seed, templates):
    """Report 0 with its 总体情况 section grown to at least `size` bytes in all."""
    text = make(0, seed, templates).decode("utf-8")
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(nl)
    at = next((k + 1 for k, l in enumerate(lines) if HEADING.match(l)), 3)
    trad = any(t[0] in text for t in ("總體情況",))
    rng = random.Random(seed * 7_919 + 1)
    need = size - len(text.encode("utf-8"))
    extra = []
    while need > 0:
        para = "".join(
            rng.choice(SENTENCES)[1 if trad else 0].format(
                n=rng.randint(10, 3000), m=rng.randint(1, 80), k=rng.randint(1, 40))
            for _ in range(40))
        extra.append(para)
        need -= len(para.encode("utf-8")) + len(nl)
    lines[at:at] = extra
    return nl.join(lines).encode("utf-8")


def single_file(args, templates):
    size = int(args.single_file * 1_000_000)
    out = args.out
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    total, n = 0, 0
    with open(out, "wb") as f:
        if args.one_report:
            data = one_report(size, args.seed, templates)
            f.write(data)
            total, n = len(data), 1
        while total < size:
            data = make(n, args.seed, templates) + b"\n\n"
            f.write(data)
            total += len(data)
            n += 1
    print(f"{n} report{'s' if n != 1 else ''}, {total:,} bytes ({total / 1e6:.1f} MB) in {out}",
          file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--out", default=None,
                    help="folder (default bench/out/corpus), or the file with --single-file")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--single-file", type=float, metavar="SIZE_MB",
                    help="write one file of at least SIZE_MB megabytes (10^6 bytes)")
    ap.add_argument("--one-report", action="store_true",
                    help="with --single-file: one report grown to that size")
    args = ap.parse_args()
    templates = []
    for path, bodies, year, trad in TEMPLATES:
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            templates.append((f.read(), bodies, year, trad))
    if args.one_report and args.single_file is None:
        ap.error("--one-report needs --single-file")
    if args.single_file is not None:
        if args.out is None:
            kind = "one" if args.one_report else "big"
            args.out = os.path.join(ROOT, "bench", "out", f"{kind}-{args.single_file:g}mb.txt")
        single_file(args, templates)
        return
    if args.out is None:
        args.out = os.path.join(ROOT, "bench", "out", "corpus")
    total = 0
    for i in range(args.count):
        data = make(i, args.seed, templates)
        d = os.path.join(args.out, f"r{i // 100:03d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"{i:05d}.txt"), "wb") as f:
            f.write(data)
        total += len(data)
    print(f"{args.count} files, {total:,} bytes ({total / 1e6:.1f} MB, "
          f"{total / max(args.count, 1) / 1e3:.1f} KB per file) in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
