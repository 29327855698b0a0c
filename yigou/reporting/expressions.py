"""A tiny, safe parser for rule expressions: element codes and numbers joined by + and − (no eval).

Grammar: `expr := ['+'|'-'] term (('+'|'-') term)*`, `term := CODE | NUMBER`, where CODE is a lower-case
element code (`amount_own`) and NUMBER a decimal (`0.5`). The Unicode minus (−) and full-width plus (＋) are
accepted because officials copy rules from Word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from yigou.core.errors import DomainError

TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<code>[a-z_][a-z0-9_]*)|(?P<op>[+\-]))")
NORMALISE = str.maketrans({"−": "-", "－": "-", "＋": "+", "–": "-"})


@dataclass(frozen=True)
class Term:
    sign: int  # +1 or -1
    code: str = ""  # an element code, or "" for a constant
    number: Decimal = Decimal(0)


@dataclass(frozen=True)
class Expression:
    text: str
    terms: tuple[Term, ...]

    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.terms if t.code]

    def evaluate(self, values: Mapping[str, Decimal | None], *, missing_as_zero: bool) -> Decimal | None:
        """The value, or None when an element is missing and missing values do not count as zero."""
        total = Decimal(0)
        for term in self.terms:
            value = values.get(term.code) if term.code else term.number
            if value is None:
                if not missing_as_zero:
                    return None
                value = Decimal(0)
            total += term.sign * value
        return total


def _error(text: str, detail: str) -> DomainError:
    return DomainError("rule_expression_invalid", expression=text, detail=detail)


def _tokens(text: str) -> list[tuple[str, str]]:
    source, position, tokens = text.translate(NORMALISE), 0, []
    while position < len(source):
        if not source[position:].strip():
            break
        match = TOKEN.match(source, position)
        if not match or match.end() == position:
            rest = source[position:]
            bad = position + len(rest) - len(rest.lstrip())
            raise _error(text, f"第 {bad + 1} 个字符“{source[bad]}”无法识别")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def parse(text: str, known: Iterable[str] | None = None) -> Expression:
    """Parse `text`; with `known`, every element code must be one of them."""
    tokens = _tokens(text)
    if not tokens:
        raise _error(text, "表达式为空")
    terms: list[Term] = []
    sign, expect_term = 1, True
    for kind, value in tokens:
        if kind == "op":
            if not expect_term:
                sign, expect_term = (1 if value == "+" else -1), True
            elif not terms and sign == 1:
                sign = 1 if value == "+" else -1  # a leading sign
            else:
                raise _error(text, f"运算符“{value}”位置不对")
            continue
        if not expect_term:
            raise _error(text, f"“{value}”前缺少运算符")
        terms.append(Term(sign, code=value) if kind == "code" else Term(sign, number=Decimal(value)))
        sign, expect_term = 1, False
    if expect_term:
        raise _error(text, "表达式以运算符结尾")
    expression = Expression(text, tuple(terms))
    if known is not None:
        allowed = set(known)
        unknown = [c for c in expression.codes if c not in allowed]
        if unknown:
            raise _error(text, f"未知的指标代码 {'、'.join(unknown)}")
    return expression
