#!/usr/bin/env python3
"""make_fixtures.py - write the .xlsx test workbooks in tests/xlsx/ (and the
xlsx golden's input) from this script's tables.

The workbooks are assembled part by part with the standard library's
zipfile (no openpyxl), so each one holds exactly the OOXML feature a test
is about - inline strings, rich-text shared strings, cells left out, custom
date formats, merged header cells, a lying size field - written the way
Excel writes it. Entries carry a fixed timestamp: the output is
byte-for-byte reproducible. Run from anywhere:

    python3 tests/xlsx/make_fixtures.py
"""
import csv
import io
import os
import struct
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = ('xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
       'relationships"')
REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PKG = 'http://schemas.openxmlformats.org/package/2006/relationships'


class Inline(str):
    """An inline string cell (t="inlineStr")."""


class Rich:
    """A shared string made of rich-text runs."""
    def __init__(self, *runs):
        self.runs = runs


class Date:
    """A number with a date style: serial and cellXfs index."""
    def __init__(self, serial, style=1):
        self.serial, self.style = serial, style


class Raw:
    """A cell's XML as written (attributes after r=)."""
    def __init__(self, xml):
        self.xml = xml


# cellXfs: 0 General, 1 m/d/yyyy (14), 2 m/d/yy h:mm (22), 3 h:mm (20),
# 4 custom dd/mm/yyyy, 5 custom 0.00 "days" (not a date: d is quoted),
# 6 custom [h]:mm (elapsed time).
STYLES = f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet {NS}><numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="0.00 &quot;days&quot;"/><numFmt numFmtId="166" formatCode="[h]:mm"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="20" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>'''


def col_name(c):
    s = ''
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def text_xml(s):
    sp = ' xml:space="preserve"' if s != s.strip() or '\n' in s else ''
    return f'<t{sp}>{escape(s)}</t>'


def build(path, sheets, date1904=False, sst_extra=(), no_sheets=False,
          pad_sheet=0, utf16_sheets=False):
    """sheets: [(name, {row: [values]}, ["A1:C1", ...])]. A value None is
    a cell left out; str is a shared string; Inline, Rich, Date, Raw as
    above; bool, int, float numbers."""
    sst, sst_index = [], {}

    def shared(key, xml):
        if key not in sst_index:
            sst_index[key] = len(sst)
            sst.append(xml)
        return sst_index[key]

    for s in sst_extra:
        shared(s, text_xml(s))
    parts = {}
    for n, (name, rows, merges) in enumerate(sheets, 1):
        out = []
        for r in sorted(rows):
            cells = []
            for c, v in enumerate(rows[r], 1):
                ref = f'{col_name(c)}{r}'
                if v is None:
                    continue
                if isinstance(v, Raw):
                    cells.append(f'<c r="{ref}" {v.xml}</c>')
                elif isinstance(v, Inline):
                    cells.append(f'<c r="{ref}" t="inlineStr"><is>'
                                 f'{text_xml(str(v))}</is></c>')
                elif isinstance(v, Rich):
                    runs = ''.join(
                        f'<r><rPr><b/></rPr>{text_xml(t)}</r>' if i % 2 else
                        f'<r>{text_xml(t)}</r>' for i, t in enumerate(v.runs))
                    i = shared(('rich',) + v.runs, runs)
                    cells.append(f'<c r="{ref}" t="s"><v>{i}</v></c>')
                elif isinstance(v, Date):
                    cells.append(f'<c r="{ref}" s="{v.style}"><v>{v.serial!r}'
                                 f'</v></c>')
                elif isinstance(v, bool):
                    cells.append(f'<c r="{ref}" t="b"><v>{int(v)}</v></c>')
                elif isinstance(v, (int, float)):
                    cells.append(f'<c r="{ref}"><v>{v!r}</v></c>')
                else:
                    i = shared(v, text_xml(v))
                    cells.append(f'<c r="{ref}" t="s"><v>{i}</v></c>')
            out.append(f'<row r="{r}">{"".join(cells)}</row>')
            if pad_sheet:
                out.append(' ' * pad_sheet)
        mc = ''
        if merges:
            mc = (f'<mergeCells count="{len(merges)}">' +
                  ''.join(f'<mergeCell ref="{m}"/>' for m in merges) +
                  '</mergeCells>')
        parts[f'xl/worksheets/sheet{n}.xml'] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet {NS} {RNS}><sheetData>{"".join(out)}</sheetData>'
            f'{mc}</worksheet>')
    sheet_list = '' if no_sheets else ''.join(
        f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, (name, _, _) in enumerate(sheets, 1))
    pr = '<workbookPr date1904="1"/>' if date1904 else '<workbookPr/>'
    parts['xl/workbook.xml'] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook {NS} {RNS}>{pr}<sheets>{sheet_list}</sheets></workbook>')
    rels = [f'<Relationship Id="rId{n}" Type="{REL}/worksheet" '
            f'Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1)]
    k = len(sheets)
    rels.append(f'<Relationship Id="rId{k + 1}" Type="{REL}/styles" '
                f'Target="styles.xml"/>')
    rels.append(f'<Relationship Id="rId{k + 2}" Type="{REL}/sharedStrings" '
                f'Target="sharedStrings.xml"/>')
    parts['xl/_rels/workbook.xml.rels'] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PKG}">{"".join(rels)}</Relationships>')
    parts['xl/styles.xml'] = STYLES
    parts['xl/sharedStrings.xml'] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst {NS} count="{len(sst)}" uniqueCount="{len(sst)}">' +
        ''.join(f'<si>{x}</si>' for x in sst) + '</sst>')
    parts['[Content_Types].xml'] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/'
        'xml"/></Types>')
    parts['_rels/.rels'] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        f'</Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        for name in ['[Content_Types].xml', '_rels/.rels'] + sorted(
                p for p in parts if p not in ('[Content_Types].xml',
                                              '_rels/.rels')):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            data = parts[name]
            if utf16_sheets and name.startswith('xl/worksheets/'):
                # OPC allows UTF-16 parts (with a BOM and a declaration)
                data = data.replace('encoding="UTF-8"',
                                    'encoding="UTF-16"').encode('utf-16')
            z.writestr(info, data)
    data = buf.getvalue()
    with open(path, 'wb') as f:
        f.write(data)
    return data


def lie_about_size(data, part, size):
    """Patch part's uncompressed size in the local header and the central
    directory: a workbook that claims to inflate to `size` bytes."""
    b = bytearray(data)
    name = part.encode()
    i = 0
    while True:
        i = b.find(b'PK\x03\x04', i)
        if i < 0:
            break
        n = struct.unpack_from('<H', b, i + 26)[0]
        if b[i + 30:i + 30 + n] == name:
            struct.pack_into('<I', b, i + 22, size)
        i += 4
    i = 0
    while True:
        i = b.find(b'PK\x01\x02', i)
        if i < 0:
            break
        n = struct.unpack_from('<H', b, i + 28)[0]
        if b[i + 46:i + 46 + n] == name:
            struct.pack_into('<I', b, i + 24, size)
        i += 4
    return bytes(b)


def main():
    long_cell = ('Thorough and kind. ' * 1800)[:32767]
    basic = {
        1: ['Evaluation Report \u2014 generated 2026-06-30'],
        3: ['ID', 'Resident', 'Gender', 'Date', 'Comment', 'Score'],
        4: [1, 'Ann', 'F', Date(45474), Rich('Very ', 'thorough', ' notes'),
            0.1],
        5: [2, 'Bob', None, Date(45474, 4),
            Inline('Line one_x000D_\nline two'), 3],
        6: [3, 'Cat', 'F', Date(45474.354166666664, 2), long_cell,
            Raw('><v>1E-3</v>')],
        7: [4, 'D\u00e9j\u00e0', 'M', Date(0.5, 3), Raw('t="str"><f>A1</f>'
                                                       '<v>calc</v>'),
            Raw('t="e"><v>#N/A</v>')],
        8: [5, 'Eve'],
        9: [6, 'Fay', 'F', Date(12.5, 5), True, Date(1.25, 6)],
    }
    other = {1: ['A', 'B'], 2: ['x', 'y']}
    build(os.path.join(HERE, 'basic.xlsx'),
          [('Evaluations', basic, []), ('Other', other, [])])
    build(os.path.join(HERE, 'date1904.xlsx'),
          [('Sheet1', {1: ['Name', 'Date'], 2: ['a', Date(0)],
                       3: ['b', Date(1)], 4: ['c', Date(45474)]}, [])],
          date1904=True)
    merged = {
        1: ['Resident', 'Comments', None, None],
        2: [None, 'Strengths', 'Weaknesses', 'Score'],
        3: ['Ann', 'Kind', 'Quiet', 4],
        4: ['Bob', 'Sharp', None, 5],
        5: ['Cat', 'Calm', 'Slow', 3],
    }
    build(os.path.join(HERE, 'merged.xlsx'),
          [('Sheet1', merged, ['A1:A2', 'B1:C1'])])
    build(os.path.join(HERE, 'merged-utf16.xlsx'),
          [('Sheet1', merged, ['A1:A2', 'B1:C1'])], utf16_sheets=True)
    build(os.path.join(HERE, 'bad-sst.xlsx'),
          [('Sheet1', {1: ['Name', 'Comment'],
                       2: ['Ann', Raw('t="s"><v>99</v>')]}, [])])
    build(os.path.join(HERE, 'no-sheets.xlsx'),
          [('Sheet1', {1: ['a', 'b']}, [])], no_sheets=True)
    # 2 MiB of white space between rows: a 1 MiB cap must refuse it while
    # inflating (the declared size is honest, but the test lowers the cap).
    build(os.path.join(HERE, 'inflate.xlsx'),
          [('Sheet1', {r: ['row', r] for r in range(1, 9)}, [])],
          pad_sheet=256 * 1024)
    data = build(os.path.join(HERE, 'bomb.xlsx'),
                 [('Sheet1', {1: ['a', 'b'], 2: ['c', 'd']}, [])])
    with open(os.path.join(HERE, 'bomb.xlsx'), 'wb') as f:
        f.write(lie_about_size(data, 'xl/worksheets/sheet1.xml',
                               0xC0000000))  # claims 3 GiB
    with open(os.path.join(HERE, 'ole2.xls'), 'wb') as f:
        f.write(b'\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1' + b'\0' * 504)
    with open(os.path.join(HERE, 'corrupt.xlsx'), 'wb') as f:
        f.write(data[:300])

    # The xlsx golden: samples/evaluations.csv as a workbook, with the
    # numbers as numbers and the dates as dates (m/d/yyyy style).
    golden = os.path.join(TOP, 'tests', 'golden', 'xlsx-same-as-csv')
    os.makedirs(golden, exist_ok=True)
    with open(os.path.join(TOP, 'samples', 'evaluations.csv'),
              encoding='utf-8-sig', newline='') as f:
        records = [r for r in csv.reader(f) if r]
    rows = {}
    for i, rec in enumerate(records, 1):
        vals = []
        for v in rec:
            if i > 1 and v.isdigit() and not v.startswith('0'):
                vals.append(int(v))
            elif i > 1 and len(v) == 10 and v[2] == '/' and v[5] == '/':
                m, d, y = int(v[:2]), int(v[3:5]), int(v[6:])
                import datetime
                serial = (datetime.date(y, m, d) -
                          datetime.date(1899, 12, 30)).days
                vals.append(Date(serial))
            else:
                vals.append(v if v else None)
        rows[i] = vals
    build(os.path.join(golden, 'input.xlsx'), [('Evaluations', rows, [])])


if __name__ == '__main__':
    main()
