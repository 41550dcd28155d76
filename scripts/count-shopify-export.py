#!/usr/bin/env python3
"""Independent counter for Shopify "Export orders" / "Export products" CSVs.

Uses Python's csv module (not the app's TypeScript reader) so the expected counts in
tests/csv/shopify-exports.test.ts are checked by a second, unrelated parser.
Usage: python3 scripts/count-shopify-export.py <file.csv> [...] [orders.csv+products.csv]
(the `+` form counts the order lines that join to exactly one variant by SKU or line-item name)
"""
import csv, json, sys
from datetime import datetime, timezone
from decimal import Decimal

def minor(text):
    text = (text or "").strip()
    return int((Decimal(text) * 100).to_integral_value()) if text else 0

def count_orders(rows):
    orders, customers, currencies, lines = {}, set(), {}, 0
    for r in rows:
        name = r["Name"].strip()
        if name not in orders:
            orders[name] = r
            cur = (r.get("Currency") or "").strip()
            currencies[cur] = currencies.get(cur, 0) + 1
        if (r.get("Lineitem name") or "").strip():
            lines += 1
        email = (r.get("Email") or "").strip().lower()
        if email:
            customers.add(email)
    firsts = list(orders.values())
    latest = {}  # email -> (created UTC, accepts marketing) of the customer's most recent order
    for r in firsts:
        email = (r.get("Email") or "").strip().lower()
        if not email:
            continue
        at = datetime.strptime(r["Created at"].strip(), "%Y-%m-%d %H:%M:%S %z").astimezone(timezone.utc)
        if email not in latest or latest[email][0] <= at:
            latest[email] = (at, (r.get("Accepts Marketing") or "").strip().lower() in ("yes", "true"))
    created = sorted(datetime.strptime(r["Created at"].strip(), "%Y-%m-%d %H:%M:%S %z").astimezone(timezone.utc).isoformat() for r in firsts)
    return {
        "orders": len(orders), "lines": lines, "customers": len(customers),
        "ordersWithoutEmail": sum(1 for r in firsts if not (r.get("Email") or "").strip()),
        "cancelled": sum(1 for r in firsts if (r.get("Cancelled at") or "").strip()),
        "currencies": currencies,
        "refundedMinor": sum(minor(r.get("Refunded Amount")) for r in firsts),
        "ordersWithRefund": sum(1 for r in firsts if minor(r.get("Refunded Amount")) > 0),
        "totalMinor": sum(minor(r.get("Total")) for r in firsts),
        "subscribedByLatestOrder": sum(1 for _, yes in latest.values() if yes),
        "firstCreated": created[0], "lastCreated": created[-1],
    }

def count_products(rows):
    handles, variants, no_sku, typed = set(), set(), 0, set()
    for r in rows:
        h = r["Handle"].strip()
        handles.add(h)
        kind = next((r[c].strip() for c in ("Type", "Custom Product Type", "Standard Product Type", "Product Category") if (r.get(c) or "").strip()), "")
        if kind:
            typed.add(h)
        opts = tuple((r.get(f"Option{i} Value") or "").strip() for i in (1, 2, 3))
        if not (opts[0] or (r.get("Variant SKU") or "").strip() or (r.get("Variant Price") or "").strip()):
            continue  # image-only row
        if (h, opts) not in variants and not (r.get("Variant SKU") or "").strip():
            no_sku += 1
        variants.add((h, opts))
    return {"products": len(handles), "variants": len(variants), "variantsWithoutSku": no_sku, "productsWithType": len(typed)}

def variant_names(rows):
    """SKU -> variants and "Title - Opt / Opt" line-item name -> variants, from a products export."""
    by_sku, by_name, titles = {}, {}, {}
    for r in rows:
        h = r["Handle"].strip()
        if (r.get("Title") or "").strip() and h not in titles:
            titles[h] = r["Title"].strip()
        opts = [v for v in ((r.get(f"Option{i} Value") or "").strip() for i in (1, 2, 3)) if v]
        if not (opts or (r.get("Variant SKU") or "").strip() or (r.get("Variant Price") or "").strip()):
            continue
        key = (h, tuple(opts))
        title = titles.get(h, h)
        name = title if opts in ([], ["Default Title"]) else f"{title} - {' / '.join(opts)}"
        sku = (r.get("Variant SKU") or "").strip()
        if sku:
            by_sku.setdefault(sku, set()).add(key)
        by_name.setdefault(name, set()).add(key)
    return by_sku, by_name

def count_joined(orders_path, products_path):
    with open(products_path, newline="", encoding="utf-8-sig") as f:
        by_sku, by_name = variant_names(csv.DictReader(f))
    matched = total = 0
    with open(orders_path, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            name = (r.get("Lineitem name") or "").strip()
            if not name:
                continue
            total += 1
            sku = (r.get("Lineitem sku") or "").strip()
            if len(by_sku.get(sku, ())) == 1 or len(by_name.get(name, ())) == 1:
                matched += 1
    return {"lines": total, "linesMatched": matched}

for path in sys.argv[1:]:
    if "+" in path:
        orders_path, products_path = path.split("+")
        print(json.dumps({"file": path, **count_joined(orders_path, products_path)}))
        continue
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames or []
        if "Handle" in fields:
            result = count_products(reader)
        elif "Name" in fields and "Lineitem name" in fields:
            result = count_orders(reader)
        else:
            result = {"refused": "not a comma-separated Shopify export header", "header": fields[:1]}
    print(json.dumps({"file": path.rsplit("/", 1)[-1], **result}))
