"""The lägesbild's views, by what they serve; one flat URL list in `urls.py` (and `public_urls.py`).

- `asked`: the picture a request asks for, or the 400 that names the faulty control.
- `pages`: the lägesbild and area profile pages, their JSON twin and map layers, the assessment.
- `documents`: the charts as SVG and the PDF.
- `exports`: CSV, XLSX and GeoJSON downloads.
- `public`: the published pictures (no login) and the coordinators' publish and withdraw pages.

Views only parse, call and render: numbers come from `picture`, words from `wording`
and `display`, writes go through `actions`.
"""
