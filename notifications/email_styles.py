"""The emails' one stylesheet: named inline styles the templates use as `style="{{ css.<name> }}"`.

Mail clients drop <style> blocks and external sheets, so every element carries its style
inline; declaring each one once here keeps the layout and the templates consistent.
"""

FONT = "font-family:Inter,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
PAGE_BACKGROUND = "#f1f3f7"
ACCENT = "#4038ff"

EMAIL_CSS: dict[str, str] = {
    "body": f"margin:0;padding:0;background-color:{PAGE_BACKGROUND};"
    "-webkit-text-size-adjust:100%;-ms-text-size-adjust:100%;",
    "preheader": f"display:none;font-size:1px;color:{PAGE_BACKGROUND};line-height:1px;max-height:0;"
    "max-width:0;opacity:0;overflow:hidden;mso-hide:all;",
    "page": f"background-color:{PAGE_BACKGROUND};",
    "page_cell": "padding:32px 12px;",
    "card": "width:100%;max-width:600px;border-collapse:separate;",
    "header": "background-color:#0b0d1c;border-radius:8px 8px 0 0;padding:20px 32px;",
    "logo": f"width:28px;height:28px;background-color:{ACCENT};border-radius:7px;text-align:center;"
    f"vertical-align:middle;{FONT}font-size:16px;font-weight:700;line-height:28px;color:#ffffff;",
    "brand": f"padding-left:10px;{FONT}font-size:20px;font-weight:700;letter-spacing:0.2px;color:#ffffff;",
    "brand_link": "color:#ffffff;text-decoration:none;",
    "eyebrow": f"padding-left:10px;{FONT}font-size:12px;color:#9ea3c2;",
    "content": f"background-color:#ffffff;padding:32px 32px 8px 32px;{FONT}color:#1c2231;",
    "greeting": "margin:0 0 16px 0;font-size:15px;line-height:22px;color:#4b5268;",
    "crumbs": "margin:0 0 6px 0;font-size:13px;line-height:19px;color:#8a90a6;",
    "heading": "margin:0 0 16px 0;font-size:21px;line-height:29px;font-weight:700;color:#0b0d1c;",
    "text": "margin:0 0 16px 0;font-size:15px;line-height:23px;color:#1c2231;",
    "note": "margin:0 0 8px 0;font-size:14px;line-height:21px;color:#4b5268;",
    "strong": "color:#1c2231;",
    "people": "margin:0 0 16px 0;padding:0 0 0 20px;font-size:15px;line-height:23px;color:#1c2231;",
    "person_link": f"color:{ACCENT};text-decoration:none;font-weight:600;",
    "quote": f"border-left:3px solid {ACCENT};background-color:#f5f5ff;border-radius:0 6px 6px 0;"
    f"padding:12px 16px;{FONT}font-size:15px;line-height:23px;color:#1c2231;",
    "quote_author": f"font-size:13px;line-height:18px;font-weight:600;color:{ACCENT};padding-bottom:4px;",
    "block": "margin:0 0 16px 0;",
    # Digest: one section per kind family, one line (linked) per notification.
    "digest_group": "margin:24px 0 8px 0;font-size:13px;line-height:18px;font-weight:700;"
    "letter-spacing:0.4px;text-transform:uppercase;color:#8a90a6;",
    "digest_item": "margin:0 0 10px 0;font-size:15px;line-height:22px;color:#1c2231;",
    "digest_link": f"color:{ACCENT};text-decoration:none;",
    "button_row": "background-color:#ffffff;padding:16px 32px 8px 32px;",
    "button_cell": f"border-radius:6px;background-color:{ACCENT};",
    "button": f"display:inline-block;padding:12px 24px;{FONT}font-size:15px;font-weight:600;line-height:20px;"
    "color:#ffffff;text-decoration:none;border-radius:6px;",
    "fallback": f"background-color:#ffffff;border-radius:0 0 8px 8px;padding:12px 32px 32px 32px;{FONT}"
    "font-size:12px;line-height:18px;color:#8a90a6;",
    "fallback_link": f"color:{ACCENT};word-break:break-all;",
    "footer": f"padding:24px 32px 8px 32px;{FONT}font-size:13px;line-height:20px;color:#4b5268;",
    "footer_link": "color:#4b5268;text-decoration:underline;",
    "legal": f"padding:8px 32px 32px 32px;{FONT}font-size:12px;line-height:18px;color:#8a90a6;",
    "legal_link": "color:#8a90a6;text-decoration:underline;",
}
