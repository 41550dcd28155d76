#!/usr/bin/env python3
"""Independent counter for Shopify "Export orders" / "Export products" CSVs.

Uses Python's csv module (not the app's TypeScript reader) so the expected counts in
tests/csv/shopify-exports.test.ts are checked by a second, unrelated parser.
Usage: python3 scripts/count-shopify-export.py <file.csv> [...]
"""
import csv, json, sys
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
    created = sorted(r["Created at"].strip() for r in firsts)
    return {
        "orders": len(orders), "lines": lines, "customers": len(customers),
        "ordersWithoutEmail": sum(1 for r in firsts if not (r.get("Email") or "").strip()),
        "cancelled": sum(1 for r in firsts if (r.get("Cancelled at") or "").strip()),
        "currencies": currencies,
        "refundedMinor": sum(minor(r.get("Refunded Amount")) for r in firsts),
        "ordersWithRefund": sum(1 for r in firsts if minor(r.get("Refunded Amount")) > 0),
        "totalMinor": sum(minor(r.get("Total")) for r in firsts),
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

for path in sys.argv[1:]:
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
