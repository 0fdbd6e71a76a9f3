"""The readable report (Rich): triage first, red flags, differential with reasons, plan, evidence."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from spineconsult.engine.models import Assessment

LEVEL_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold red",
    "soon": "bold yellow",
    "routine": "bold green",
}


def _triage(a: Assessment) -> Panel:
    body = Text()
    body.append(f"{a.triage.level.upper()}\n", style=LEVEL_STYLE[a.triage.level])
    body.append(a.triage.advice)
    for flag in a.triage.red_flags:
        body.append(f"\n! {flag.name}", style="bold red")
        uncertain = "; uncertain" if flag.certainty != "present" else ""
        body.append(f" ({flag.level}; {', '.join(flag.findings)}{uncertain})")
    return Panel(body, title="Triage", border_style=LEVEL_STYLE[a.triage.level].split()[-1])


def _findings(a: Assessment) -> Table:
    table = Table(title="Findings", show_lines=False, expand=True)
    for col in ("finding", "status", "words", "side"):
        table.add_column(col)
    for f in a.findings:
        status = f.status + (f" ({f.qualifier})" if f.qualifier else "")
        table.add_row(f.name, status, f'"{f.text}"', f.side or "")
    ctx = a.context
    procs = "; ".join(f"{p.name} [{p.family.replace('_', ' ')}]" for p in ctx.procedures) or "not stated"
    weeks = _since(ctx.weeks_since_surgery)
    table.caption = f"Procedure: {procs}. Levels: {', '.join(ctx.levels) or '-'}. Since surgery: {weeks}."
    return table


def _since(weeks: float | None) -> str:
    if weeks is None:
        return "not stated"
    return (
        f"{weeks * 7:.0f} days"
        if weeks < 2
        else f"{weeks:.0f} weeks"
        if weeks < 104
        else f"{weeks / 52:.1f} years"
    )


def _differential(a: Assessment) -> Table:
    table = Table(title="Differential (most probable first)", expand=True, show_lines=True)
    table.add_column("#", width=2)
    table.add_column("condition")
    table.add_column("score", justify="right")
    table.add_column("why")
    for i, d in enumerate(a.differential[:6], 1):
        table.add_row(str(i), f"{d.name}\n[dim]{d.icd10}[/dim]", f"{d.score:.0%}", d.explanation)
    return table


def _plan(a: Assessment) -> Table:
    table = Table(title="Investigations", expand=True)
    table.add_column("test")
    table.add_column("when")
    table.add_column("why")
    for inv in a.investigations:
        table.add_row(inv.name, inv.when, inv.why)
    return table


def _options(a: Assessment) -> Group:
    evidence = {e.id: e for e in a.evidence}
    parts: list[Text] = [Text("Treatment options", style="bold")]
    for t in a.treatment_options:
        parts.append(Text(f"- {t.name} (for {', '.join(t.for_)}; certainty {t.certainty})", style="bold"))
        for eid in t.evidence:
            e = evidence[eid]
            figures = "; ".join(
                f"{o.measure} {o.timepoint or ''}: {o.value}".replace(" :", ":") for o in e.outcomes[:3]
            )
            size = f", n={e.n}" if e.n else ""
            parts.append(Text(f"    {eid}: {e.design}{size}. {figures}", style="dim"))
    parts.append(Text("Follow-up", style="bold"))
    parts.extend(Text(f"- day {f.after_days}: {f.check} Escalate if: {f.escalate_if}") for f in a.follow_up)
    return Group(*parts)


def render(a: Assessment, console: Console) -> None:
    console.print(_triage(a))
    if not a.triage.in_scope:
        return
    console.print(_findings(a))
    console.print(_differential(a))
    console.print(_plan(a))
    console.print(_options(a))
    console.print(Text(f"Knowledge pack {a.pack.name} {a.pack.version}", style="dim"))
