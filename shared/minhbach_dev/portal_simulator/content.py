"""What the simulated portals carry: Vietnamese documents by section, generated from a seed, and
the HTML/RSS/sitemap markup of the two portal softwares the seed plan describes, and of three
layouts modelled on portals nobody here designed (`OTHER_STYLES`): a DotNetNuke-style province
portal listing titles only, paged "Trang 1 2 3 … Xem tiếp"; a WordPress-style ward portal whose
documents come as an RSS feed with enclosures; a legacy ASP.NET commune portal in windows-1258
declared only in `<meta charset>`. On all three, the number, date of issue, issuer, file and
"Ngày đăng" are only on each document's own page."""

from __future__ import annotations

import hashlib
import html
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email.utils import format_datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PAGE_SIZE = 10


@dataclass
class SimItem:
    id: int
    title: str
    number: str | None
    issued_on: date
    summary: str
    issuer: str
    attachment: bool = True
    attachment_missing: bool = False  # linked, but the file answers 404
    appears_at: float = 0.0  # simulator seconds after start; later items appear over time
    posted_on: date | None = None  # "Ngày đăng" on the portal (default: the date of issue)

    @property
    def posted(self) -> date:
        return self.posted_on or self.issued_on


@dataclass
class SimSection:
    code: str
    path: str
    source: str  # listing | feed | sitemap
    style: str  # vb (district software) | tin (commune software)
    items: list[SimItem] = field(default_factory=list)
    missing_after: float | None = None  # the section disappears (404) after this many seconds
    url_prefix: str = "/cong-khai/"
    soft_404: bool = False  # answers 200 with "không tồn tại" and no item
    links_to: str | None = None  # a page with no item that links to another portal instead


# Titles by section, as portals write them; {n} number, {d} date, {y} year, {u} unit name.
TEMPLATES: dict[str, list[tuple[str, str | None]]] = {
    "planning": [
        ("Kế hoạch số {n}/KH-UBND ngày {d} về phát triển kinh tế - xã hội năm {y}", "{n}/KH-UBND"),
        ("Công bố quy hoạch sử dụng đất thời kỳ 2021-2030 của {u}", None),
        ("Kế hoạch sử dụng đất năm {y}", None),
        ("Quyết định phê duyệt điều chỉnh quy hoạch chi tiết khu dân cư số {n}", "{n}/QĐ-UBND"),
    ],
    "investment_incentives": [
        ("Chính sách hỗ trợ đầu tư phát triển sản xuất nông nghiệp năm {y}", None),
        ("Danh mục dự án thu hút đầu tư của {u} năm {y}", None),
        ("Thông báo hỗ trợ doanh nghiệp nhỏ và vừa đợt {n}", "{n}/TB-UBND"),
    ],
    "administrative_procedures": [
        ("Quyết định công bố danh mục thủ tục hành chính lĩnh vực đất đai", "{n}/QĐ-UBND"),
        ("Quy trình nội bộ giải quyết thủ tục hành chính lĩnh vực hộ tịch", None),
        ("Thủ tục đăng ký kinh doanh hộ cá thể", None),
    ],
    "directives": [
        (
            "Chỉ thị số {n}/CT-UBND ngày {d} về tăng cường kỷ luật, kỷ cương hành chính",
            "{n}/CT-UBND",
        ),
        ("Công văn số {n}/UBND-VP v/v triển khai công tác phòng chống thiên tai", "{n}/UBND-VP"),
        ("Thông báo kết luận của Chủ tịch {u} tại cuộc họp giao ban", "{n}/TB-UBND"),
    ],
    "legal_documents": [
        (
            "Quyết định số {n}/{y}/QĐ-UBND ban hành quy định quản lý trật tự xây dựng",
            "{n}/{y}/QĐ-UBND",
        ),
        ("Nghị quyết số {n}/{y}/NQ-HĐND quy định mức thu phí", "{n}/{y}/NQ-HĐND"),
        ("Nghị định 42/2022/NĐ-CP về cung cấp thông tin trên môi trường mạng", "42/2022/NĐ-CP"),
    ],
    "qa": [
        ("Hỏi đáp: thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ (câu hỏi số {n})", None),
        ("Giải đáp vướng mắc của doanh nghiệp về thuế đất, câu {n}", None),
    ],
    "disclosure": [
        ("Công khai dự toán ngân sách năm {y}", None),
        ("Công khai quyết toán ngân sách quý {n}", None),
    ],
}
NEWS = [
    "Lễ hội vải thiều năm {y} thu hút đông đảo du khách",
    "Hội nghị tổng kết công tác thi đua khen thưởng",
]


def make_items(
    section: str, unit_name: str, seed: str, today: date, count: int, first_id: int
) -> list[SimItem]:
    """Deterministic documents for one section of one portal, newest first."""
    rng = random.Random(hashlib.sha256(f"{seed}/{section}".encode()).digest())
    templates = TEMPLATES.get(section) or TEMPLATES["disclosure"]
    items = []
    for offset in range(count):
        title_t, number_t = templates[offset % len(templates)]
        n = rng.randint(10, 999)
        issued = today - timedelta(days=3 + offset * 7 + rng.randint(0, 3))
        items.append(item_from(first_id + offset, title_t, number_t, n, issued, unit_name))
    return items


def item_from(
    item_id: int,
    title_t: str,
    number_t: str | None,
    n: int,
    issued: date,
    unit_name: str,
    appears_at: float = 0.0,
) -> SimItem:
    values = {"n": n, "d": issued.strftime("%d/%m/%Y"), "y": issued.year, "u": unit_name}
    return SimItem(
        id=item_id,
        title=title_t.format(**values),
        number=number_t.format(**values) if number_t else None,
        issued_on=issued,
        summary=f"Trích yếu: {title_t.format(**values)}",
        issuer=unit_name,
        appears_at=appears_at,
    )


def news_item(item_id: int, issued: date, unit_name: str) -> SimItem:
    return SimItem(
        item_id,
        NEWS[item_id % len(NEWS)].format(y=issued.year),
        None,
        issued,
        "Tin hoạt động",
        unit_name,
        attachment=False,
    )


# --- markup -------------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def home_page(name: str, sections: list[SimSection], legal_links: tuple[str, ...]) -> str:
    menu = "".join(f'<li><a href="{_e(s.path)}">{_e(s.code)}</a></li>' for s in sections)
    links = "".join(f'<a href="{_e(u)}">Liên kết pháp luật</a>' for u in legal_links)
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{_e(name)}</title>'
        f"</head><body><header><h1>Cổng thông tin điện tử {_e(name)}</h1></header>"
        f'<nav><ul class="menu">{menu}</ul></nav><footer>{links}</footer></body></html>'
    )


def listing_page(
    name: str,
    section: SimSection,
    items: list[SimItem],
    page: int,
    has_next: bool,
    legal_links: tuple[str, ...] = (),
) -> str:
    render = _vb_item if section.style == "vb" else _tin_item
    body = "".join(render(item) for item in items)
    if section.style == "vb":
        listing = f'<div class="list-van-ban">{body}</div>'
        nxt = f'<a class="trang-sau" href="?page={page + 1}">Trang sau</a>' if has_next else ""
        pager = f'<nav class="phan-trang">{nxt}</nav>'
    else:
        listing = f'<ul class="danh-sach-tin">{body}</ul>'
        nxt = f'<a class="tiep" href="?page={page + 1}">Tiếp</a>' if has_next else ""
        pager = f'<div class="phan-trang">{nxt}</div>'
    links = "".join(f'<a href="{_e(u)}">Tra cứu văn bản</a>' for u in legal_links)
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{_e(name)}</title>'
        f"</head><body><main>{listing}{pager}</main><aside>{links}</aside></body></html>"
    )


def _vb_item(item: SimItem) -> str:
    attachment = (
        f'<a class="tep-dinh-kem" href="/files/{item.id}.pdf">Tải về</a>' if item.attachment else ""
    )
    number = f'<span class="so-ky-hieu">{_e(item.number)}</span>' if item.number else ""
    return (
        f'<article class="item-van-ban"><h3 class="tieu-de"><a href="/van-ban/{item.id}">'
        f"{_e(item.title)}</a></h3>{number}"
        f'<span class="ngay-ban-hanh">{item.issued_on.strftime("%d/%m/%Y")}</span>'
        f'<span class="co-quan-ban-hanh">{_e(item.issuer)}</span>'
        f'<p class="trich-yeu">{_e(item.summary)}</p>{attachment}</article>'
    )


def _tin_item(item: SimItem) -> str:
    attachment = (
        f'<a class="tai-ve" href="/files/{item.id}.pdf">Tải về</a>' if item.attachment else ""
    )
    return (
        f'<li><a class="tieu-de-tin" href="/tin-tuc/{item.id}.html">{_e(item.title)}</a>'
        f'<span class="ngay-dang">Ngày {item.issued_on.strftime("%d/%m/%Y")}</span>'
        f'<div class="mo-ta">{_e(item.summary)}</div>{attachment}</li>'
    )


def rss(name: str, items: list[SimItem]) -> str:
    entries = "".join(
        f"<item><title>{_e(i.title)}</title><link>/hoi-dap/{i.id}.html</link>"
        f"<description>{_e(i.summary)}</description>"
        f"<pubDate>{format_datetime(datetime.combine(i.issued_on, time(8), TZ))}</pubDate></item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{_e(name)}</title>{entries}</channel></rss>"
    )


def sitemap(section: SimSection, items: list[SimItem]) -> str:
    urls = "".join(
        f"<url><loc>{section.url_prefix}{i.id}-{_slug(i.title)}</loc>"
        f"<lastmod>{i.issued_on.isoformat()}</lastmod></url>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


def _slug(title: str) -> str:
    import unicodedata

    bare = unicodedata.normalize("NFD", title.lower()).replace("đ", "d")
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return "-".join("".join(c if c.isalnum() else " " for c in bare).split())[:60]


# --- layouts of portals nobody here designed -----------------------------------------------------

OTHER_STYLES = ("dnn", "wp", "aspx")
SOFT_404_PAGE = (
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Thông báo</title></head>'
    '<body><div class="error">Trang bạn yêu cầu không tồn tại hoặc đã bị xóa.</div>'
    "</body></html>"
)


def delegated_page(name: str, url: str) -> str:
    """A section kept on another portal: a line and a link (the public-service portal)."""
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{_e(name)}</title>'
        "</head><body><p>Tra cứu và nộp hồ sơ thủ tục hành chính trên "
        f'<a href="{_e(url)}">Cổng Dịch vụ công</a>.</p></body></html>'
    )


def detail_path(style: str, item: SimItem) -> str:
    """Where each layout serves a document's own page."""
    if style == "dnn":
        return f"/Default.aspx?tabid=95&ItemID={item.id}"
    if style == "wp":
        return f"/{item.id}/{_slug(item.title)}/"
    return f"/VanBan/ChiTiet.aspx?id={item.id}"


def other_listing_page(
    name: str, section: SimSection, items: list[SimItem], page: int, pages: int
) -> str:
    """Titles and links only; the DotNetNuke layout pages "Trang 1 2 3 … Xem tiếp"."""
    if section.style == "dnn":
        rows = "".join(
            f'<li><a href="{_e(detail_path("dnn", i))}">{_e(i.title)}</a></li>' for i in items
        )
        numbers = " ".join(
            f'<a href="?page={n}">{n}</a>' if n != page else f"<span>{n}</span>"
            for n in range(1, min(pages, 3) + 1)
        )
        more = (
            f' … <a title="Xem tiếp" href="?page={page + 1}">Xem tiếp</a>' if page < pages else ""
        )
        return (
            f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{_e(name)}'
            '</title></head><body><div class="DnnModule"><div class="Normal">'
            f'<ul class="dnn-van-ban">{rows}</ul></div><div class="PagingTable">Trang {numbers}'
            f"{more}</div></div></body></html>"
        )
    rows = "".join(
        f'<tr><td>{n}</td><td><a href="{_e(detail_path("aspx", i))}">{_e(i.title)}</a></td></tr>'
        for n, i in enumerate(items, start=1)
    )
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
        f'<title>{_e(name)}</title></head><body><form id="form1">'
        f'<table id="dgVanBan"><tr><th>STT</th><th>Trích yếu</th></tr>{rows}</table>'
        "</form></body></html>"
    )


def detail_page(name: str, style: str, item: SimItem) -> str:
    """A document's own page: a "thuộc tính văn bản" table (DotNetNuke, ASP.NET) or a post with
    its meta line and a table (WordPress)."""
    d = "%d/%m/%Y"
    file = (
        f'<a class="file-dinh-kem" href="/files/{item.id}.pdf">{item.id}.pdf</a>'
        if item.attachment
        else "Không có"
    )
    rows = [
        ("Số ký hiệu", _e(item.number or "")),
        ("Ngày ban hành", item.issued_on.strftime(d)),
        ("Ngày hiệu lực", item.issued_on.strftime(d)),
        ("Cơ quan ban hành", _e(item.issuer)),
        ("Người ký", "Nguyễn Văn A"),
        ("Trích yếu", _e(item.summary)),
        ("File đính kèm", file),
    ]
    if style == "aspx":
        table = "".join(f"<tr><th>{k}:</th><td>{v}</td></tr>" for k, v in rows)
        return (
            '<html><head><meta charset="windows-1258"><title>Chi tiết văn bản</title></head>'
            f'<body><h2>{_e(item.title)}</h2><table id="tblThuocTinh">{table}</table>'
            f"<p>Ngày đăng: {item.posted.strftime(d)}</p></body></html>"
        )
    table = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in rows)
    meta = (
        f'<div class="entry-meta">Ngày đăng: {item.posted.strftime(d)} | Lượt xem: 87</div>'
        if style == "wp"
        else f'<div class="ngay-dang">Ngày đăng: {item.posted.strftime(d)}</div>'
    )
    css = "thuoc-tinh-van-ban" if style == "dnn" else "wp-block-table"
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{_e(name)}</title>'
        f'</head><body><article><h1 class="entry-title">{_e(item.title)}</h1>{meta}'
        f'<table class="{css}">{table}</table></article></body></html>'
    )


def rss_with_enclosures(name: str, items: list[SimItem]) -> str:
    """WordPress's feed: a link to each post, its posting date and the file as an enclosure."""
    entries = "".join(
        f"<item><title>{_e(i.title)}</title><link>{_e(detail_path('wp', i))}</link>"
        f"<pubDate>{format_datetime(datetime.combine(i.posted, time(9), TZ))}</pubDate>"
        f"<description>{_e(i.summary)}</description>"
        + (
            f'<enclosure url="/files/{i.id}.pdf" length="2048" type="application/pdf"/>'
            if i.attachment
            else ""
        )
        + "</item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{_e(name)}</title><link>/</link>{entries}</channel></rss>"
    )


# Windows-1258 writes Vietnamese as a base letter (with its shape: â, ê, ô, ơ, ư, ă) and a
# separate tone mark; Python's codec wants the text in that form.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def encode_cp1258(text: str) -> bytes:
    out: list[str] = []
    base = -1  # index of the last letter in `out`
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and char not in _TONES and base >= 0:
            out[base] = unicodedata.normalize("NFC", out[base] + char)  # the shape joins it
        else:
            if not unicodedata.combining(char):
                base = len(out)
            out.append(char)
    return "".join(out).encode("cp1258", errors="xmlcharrefreplace")
