"""Areas, projections (WGS84 ⇄ SWEREF 99 TM) and point-in-area lookup."""
