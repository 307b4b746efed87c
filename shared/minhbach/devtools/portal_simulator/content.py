"""What the simulated portals carry: Vietnamese documents by section, generated from a seed, and
the HTML/RSS/sitemap markup of the two portal softwares the seed plan describes."""

from __future__ import annotations

import hashlib
import html
import random
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


@dataclass
class SimSection:
    code: str
    path: str
    source: str  # listing | feed | sitemap
    style: str  # vb (district software) | tin (commune software)
    items: list[SimItem] = field(default_factory=list)
    missing_after: float | None = None  # the section disappears (404) after this many seconds
    url_prefix: str = "/cong-khai/"


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
