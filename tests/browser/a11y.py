"""Accessibility checks (axe-core through axe-playwright-python) shared by the browser tests."""

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def readable(url: str, violations: list[dict]) -> str:
    lines = [f"{url}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} элем.)")
        for node in v["nodes"][:5]:
            lines.append(f"      {node['target']}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"        {summary[:300]}")
    return "\n".join(lines)
