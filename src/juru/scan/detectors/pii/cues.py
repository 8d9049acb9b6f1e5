"""Context words near a candidate: what kind of number it is, and whose (a person's or an organisation's).

The text before a candidate is cut to its clause and split into words once; every question is then a
few set look-ups walking back from the candidate (nearest word first), which keeps the check cheap.
"""

from __future__ import annotations


def vocabulary(text: str) -> list[str]:
    """The words of a space-separated vocabulary string (keeps long word lists readable)."""
    return text.split()


_PUNCT_CHARS = tuple(":,;()[]{}\"'!?#*=<>|.\u201c\u201d\u2018\u2019")

# Generic words between a label and its number ("NIK saya nomor: ...").
FILLER = frozenset(
    vocabulary(
        "no nomor nmr number num nr id kode code saya aku ku gue gw my kakak anda kamu is adalah yaitu yakni ini "
        "itu the of di ke ya kak baru lama asli yg yang dengan dgn data lengkap your our kami sbb berikut "
        # couriers and marketplaces between a label and its number ("resi JNE 0123...")
        "jne j&t jnt sicepat anteraja pos tiki ninja lion wahana idexpress spx shopee tokopedia lazada express"
    )
)
KIND_WORDS: dict[str, str] = {}
for _kind, _words in {
    "kk": "kk",
    "nik": "nik ktp e-ktp ektp kependudukan identitas",
    "npwp": "npwp efin taxpayer",
    "card": "kartu card cc kredit credit debit visa mastercard amex jcb unionpay cvv cvc exp expiry berlaku",
    "account": "rek rekening norek account acct acc a/c tabungan",
    "passport": "paspor passport pasport",
    "phone": "telp tlp tel telepon telpon phone hp wa whatsapp mobile hubungi contact call kontak cp sms dana ovo "
    "gopay shopeepay linkaja ponsel handphone",
    "bank": "bank bca bni bri bsi btn btpn bjb cimb danamon permata panin mega ocbc muamalat mandiri jago seabank "
    "blu jenius maybank uob hsbc dbs citibank sinarmas bukopin allobank neobank superbank bpd",
}.items():
    for _w in _words.split():
        KIND_WORDS[_w] = _kind
KIND_PAIRS = {
    ("kartu", "keluarga"): "kk",
    ("family", "card"): "kk",
    ("induk", "kependudukan"): "nik",
    ("id", "card"): "nik",
    ("identity", "card"): "nik",
    ("tax", "id"): "npwp",
    ("tax", "number"): "npwp",
    ("wajib", "pajak"): "npwp",
    ("syariah", "indonesia"): "bank",
    ("cimb", "niaga"): "bank",
    ("ocbc", "nisp"): "bank",
    ("bank", "account"): "account",
}
ACCOUNT_WORDS = frozenset(w for w, k in KIND_WORDS.items() if k == "account")
BANK_NAMES = frozenset(w for w, k in KIND_WORDS.items() if k == "bank") | {"syariah indonesia", "cimb niaga"}

REFERENCE = frozenset(
    vocabulary(
        "order orders pesanan invoice inv faktur resi awb waybill tracking tiket ticket ref referensi "
        "reference booking voucher redeem seri serial transaksi transaction trx log token imei insiden "
        "incident sku isbn promo case pelanggan meter kupon coupon pin otp va virtual"
    )
)

ORG_WORDS = frozenset(
    vocabulary(
        "resmi official hotline helpdesk admin pemesanan inquiries enquiries pengaduan kantor office toko store "
        "outlet gerai cabang branch hq "
        "headquarters reservasi reservation donasi donation pt cv tbk yayasan koperasi callcenter"
    )
)
ORG_PAIRS = frozenset(
    {
        ("call", "center"),
        ("call", "centre"),
        ("contact", "center"),
        ("layanan", "pelanggan"),
        ("layanan", "konsumen"),
        ("customer", "service"),
        ("customer", "care"),
        ("customer", "support"),
        ("help", "desk"),
        ("kontak", "kami"),
        ("hubungi", "kami"),
        ("contact", "us"),
        ("call", "us"),
        ("reach", "us"),
        ("wa", "kami"),
        ("whatsapp", "kami"),
        ("nomor", "kami"),
        ("telepon", "kami"),
        ("telp", "kami"),
        ("cs", "kami"),
        ("pembayaran", "ke"),
        ("pembayaran", "melalui"),
        ("bayar", "ke"),
        ("payment", "to"),
        ("our", "number"),
        ("our", "whatsapp"),
        ("lebih", "lanjut"),
        ("more", "info"),
        ("more", "information"),
        ("further", "information"),
    }
)
PERSON_WORDS = frozenset(
    vocabulary(
        "saya aku ku gue gw gua sy my me mine penerima pelanggan nasabah bapak ibu bpk kak kakak sdr sdri pak "
        "bu mas mbak mba his her their rumah pribadi personal home istri suami anak teman keluarga customer "
        "klien client pemilik owner kenal an a/n"
    )
)
PERSON_PAIRS = frozenset({("a", "n"), ("atas", "nama")})
# "Info: 0812…", "Tanya-tanya: 0812…": a promotion's contact line.
ORG_COLON_LABELS = ("info", "informasi", "tanya-tanya", "pemesanan", "reservasi", "order")
# Right after the number: "(kantor)", "(Senin-Jumat)", "(24 jam)" mark an organisation's line.
ORG_AFTER = frozenset(
    vocabulary("kantor office cabang branch toko store outlet resmi official pt cv senin monday bebas")
)
ADDRESS_ORG = frozenset(
    vocabulary(
        "kantor office toko store outlet gerai cabang branch bertempat kunjungi visit workshop acara event "
        "venue lokasi showroom pabrik mampir opening pameran seminar gedung mall plaza ruko klinik restoran cafe"
    )
)
DOB_WORDS = ("lahir", "ttl", "dob", "d.o.b", "born", "birth", "ulang tahun", "ultah", "lhr", "kelahiran")


def words(window: str) -> list[str]:
    """Lowercase words of ``window`` with punctuation removed (``/`` and ``-`` stay inside words)."""
    # chained str.replace is several times faster than str.translate or a regex on short windows
    for ch in _PUNCT_CHARS:
        if ch in window:
            window = window.replace(ch, " ")
    return window.split()


def clause_before(low: str, start: int, width: int = 60) -> str:
    """Lowercase text before ``start`` back to the start of its clause, at most ``width`` characters."""
    window = low[max(0, start - width) : start]
    cut = max(window.rfind("\n"), window.rfind("|"), window.rfind(";"), window.rfind(" / "), window.rfind("! "))
    cut = max(cut, window.rfind("? "))
    pos = window.rfind(". ")
    while pos > cut:
        # a dot after a short word is an abbreviation ("no.", "a.n.", "kel."), not a sentence end
        if pos >= 4 and window[pos - 4 : pos].isalnum():
            cut = pos
            break
        pos = window.rfind(". ", 0, pos)
    return window[cut + 1 :] if cut >= 0 else window


def kind_label(ws: list[str], limit: int = 7) -> str | None:
    """The kind of the nearest type word ("NIK", "rek", "kartu"...) among the last ``limit`` words."""
    n = len(ws)
    for k in range(n - 1, max(-1, n - 1 - limit), -1):
        w = ws[k]
        if k and (ws[k - 1], w) in KIND_PAIRS:
            return KIND_PAIRS[(ws[k - 1], w)]
        kind = KIND_WORDS.get(w)
        if kind:
            return kind
    return None


def is_reference(ws: list[str]) -> bool:
    """True when the number is labelled as an order, waybill, invoice, ticket, voucher... reference."""
    skipped = 0
    for w in reversed(ws):
        if w in REFERENCE:
            return True
        if w in FILLER or w.isdigit() or w == "-":
            skipped += 1
            if skipped > 3:
                return False
            continue
        return False
    return False


def is_price(before: str) -> bool:
    """True right after a currency symbol ("Rp 1.250.000")."""
    tail = before.rstrip()[-4:]
    return tail.endswith(("rp", "rp.", "idr", "$", "usd", "sgd", "€", "£"))


def owner(before: str, after: str = "") -> tuple[str, str | None]:
    """``("organisation" | "person", cue)`` from the nearest cue before the item (and org cues right after)."""
    stripped = before.rstrip()
    if stripped.endswith(":"):
        head = stripped[:-1].split()
        if head and head[-1] in ORG_COLON_LABELS:
            return "organisation", head[-1] + ":"
    ws = words(before)
    for k in range(len(ws) - 1, -1, -1):
        w = ws[k]
        if k:
            pair = (ws[k - 1], w)
            if pair in ORG_PAIRS:
                return "organisation", " ".join(pair)
            if pair in PERSON_PAIRS:
                return "person", " ".join(pair)
        if w in ORG_WORDS:
            return "organisation", w
        if w in PERSON_WORDS:
            return "person", w
    first = words(after[:20])[:2]
    if first and first[0].split("-")[0] in ORG_AFTER:
        return "organisation", first[0]
    if first[:1] == ["24/7"] or first == ["24", "jam"] or first == ["24", "hours"]:
        return "organisation", " ".join(first)
    return "person", None


def clause_after(low: str, end: int, width: int = 30) -> str:
    """Lowercase text after ``end`` up to the end of its clause, at most ``width`` characters."""
    window = low[end : end + width]
    cut = len(window)
    for stop in ("\n", "|", ";", ". ", "! ", "? ", " / "):
        pos = window.find(stop)
        if 0 <= pos < cut:
            cut = pos
    return window[:cut]


def nearest_bank(ws_before: list[str], after: str, *, reach_after: int = 3) -> str | None:
    """A bank named just before (last 5 words) or just after (first ``reach_after`` words) the number."""
    for k in range(len(ws_before) - 1, max(-1, len(ws_before) - 6), -1):
        w = ws_before[k]
        if k and f"{ws_before[k - 1]} {w}" in BANK_NAMES:
            return f"{ws_before[k - 1]} {w}"
        if w in BANK_NAMES:
            return w
    ws_after = words(after)[:reach_after]
    for k, w in enumerate(ws_after):
        if k + 1 < len(ws_after) and f"{w} {ws_after[k + 1]}" in BANK_NAMES:
            return f"{w} {ws_after[k + 1]}"
        if w in BANK_NAMES and w != "bank":
            return w
    if ws_after[:1] == ["bank"]:
        return "bank"
    return None


def has_word(ws: list[str], vocabulary: frozenset[str]) -> str | None:
    """The last word of ``ws`` that is in ``vocabulary``."""
    for w in reversed(ws):
        if w in vocabulary:
            return w
    return None
