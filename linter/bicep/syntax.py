"""The Bicep syntax tree. Every node keeps its span: ``start`` and ``end`` are character offsets into the text."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True, eq=False)
class Node:
    start: int
    end: int


# ------------------------------------------------------------------------------------------- expressions

@dataclass(slots=True, eq=False)
class Literal(Node):
    """A string without interpolation, an integer, true, false or null."""

    value: Any


@dataclass(slots=True, eq=False)
class Interp(Node):
    """'a${x}b': ``parts`` has one more item than ``exprs``."""

    parts: list[str]
    exprs: list[Expr]


@dataclass(slots=True, eq=False)
class Name(Node):
    """An identifier used as a value: a parameter, variable, resource, module, loop or lambda variable."""

    name: str


@dataclass(slots=True, eq=False)
class Call(Node):
    """``f(args)``, or ``ns.f(args)`` for a namespace (az, sys, or an import alias); ``name_start`` locates f."""

    name: str
    args: list[Expr]
    namespace: str | None = None


@dataclass(slots=True, eq=False)
class MethodCall(Node):
    """``base.f(args)`` where base is not a namespace (a resource: ``acr.listCredentials()``)."""

    base: Expr
    name: str
    args: list[Expr]


@dataclass(slots=True, eq=False)
class Member(Node):
    """``base.name``, or ``base.?name`` when ``safe``."""

    base: Expr
    name: str
    safe: bool = False


@dataclass(slots=True, eq=False)
class Index(Node):
    """``base[index]``, or ``base[?index]`` when ``safe``."""

    base: Expr
    index: Expr
    safe: bool = False


@dataclass(slots=True, eq=False)
class Child(Node):
    """``parent::child``: a nested resource."""

    base: Expr
    name: str


@dataclass(slots=True, eq=False)
class NonNull(Node):
    """``base!``: the non-null assertion (no effect on the value)."""

    base: Expr


@dataclass(slots=True, eq=False)
class Unary(Node):
    op: str  # "!" "-" "+"
    operand: Expr


@dataclass(slots=True, eq=False)
class Binary(Node):
    op: str
    left: Expr
    right: Expr


@dataclass(slots=True, eq=False)
class Ternary(Node):
    cond: Expr
    then: Expr
    other: Expr


@dataclass(slots=True, eq=False)
class Prop(Node):
    """An object property: ``key: value``; ``key`` is a string or an Interp (a computed key)."""

    key: str | Interp
    key_start: int
    key_end: int
    value: Expr
    decorators: list[Decorator] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Spread(Node):
    """``...expr`` inside an object or an array."""

    value: Expr


@dataclass(slots=True, eq=False)
class Object(Node):
    items: list[Prop | Spread]


@dataclass(slots=True, eq=False)
class Array(Node):
    items: list[Expr | Spread]


@dataclass(slots=True, eq=False)
class IfBody(Node):
    """``if (cond) { ... }``: a conditional resource or module body (also a loop filter)."""

    cond: Expr
    body: Object


@dataclass(slots=True, eq=False)
class For(Node):
    """``[for item in iterable: body]`` / ``[for (item, index) in iterable: body]``."""

    item: str | None
    index: str | None
    iterable: Expr
    body: Expr  # an expression, an Object or an IfBody


@dataclass(slots=True, eq=False)
class Lambda(Node):
    params: list[str]
    body: Expr


Expr = (Literal | Interp | Name | Call | MethodCall | Member | Index | Child | NonNull | Unary | Binary | Ternary
        | Object | Array | For | Lambda | IfBody)


# ------------------------------------------------------------------------------------------- types

@dataclass(slots=True, eq=False)
class TypeRef(Node):
    """A named type (string, int, bool, object, array, any, a user-defined or imported type, ``ns.type``),
    or ``resourceInput<'T@v'>``-style generic types (``args``) with an optional property path."""

    name: str
    args: list[str] = field(default_factory=list)
    path: list[str] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class TypeLiteral(Node):
    value: Any


@dataclass(slots=True, eq=False)
class TypeArray(Node):
    item: TypeExpr


@dataclass(slots=True, eq=False)
class TypeNullable(Node):
    inner: TypeExpr


@dataclass(slots=True, eq=False)
class TypeUnion(Node):
    members: list[TypeExpr]


@dataclass(slots=True, eq=False)
class TypeProp(Node):
    name: str  # "*" for the additional-properties type
    type: TypeExpr
    decorators: list[Decorator] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class TypeObject(Node):
    props: list[TypeProp]


@dataclass(slots=True, eq=False)
class TypeTuple(Node):
    items: list[TypeExpr]


TypeExpr = TypeRef | TypeLiteral | TypeArray | TypeNullable | TypeUnion | TypeObject | TypeTuple


# ------------------------------------------------------------------------------------------- statements

@dataclass(slots=True, eq=False)
class Decorator(Node):
    call: Call


@dataclass(slots=True, eq=False)
class Decl(Node):
    """Base of the top-level declarations; ``name_start``/``name_end`` locate the declared name."""

    decorators: list[Decorator]
    name: str
    name_start: int
    name_end: int

    def decorator(self, name: str) -> Decorator | None:
        for d in self.decorators:
            if d.call.name == name and d.call.namespace in (None, "sys"):
                return d
        return None


@dataclass(slots=True, eq=False)
class Param(Decl):
    type: TypeExpr | None
    default: Expr | None


@dataclass(slots=True, eq=False)
class Var(Decl):
    type: TypeExpr | None
    value: Expr


@dataclass(slots=True, eq=False)
class Output(Decl):
    type: TypeExpr | None
    value: Expr
    resource_type: str | None = None  # output x resource 'T@v' = ...


@dataclass(slots=True, eq=False)
class TypeDecl(Decl):
    type: TypeExpr


@dataclass(slots=True, eq=False)
class Func(Decl):
    params: list[tuple[str, TypeExpr]]
    returns: TypeExpr
    body: Expr


@dataclass(slots=True, eq=False)
class Resource(Decl):
    type_string: str
    type_start: int
    type_end: int
    existing: bool
    body: Expr  # Object, IfBody or For
    children: list[Resource] = field(default_factory=list)  # nested resources declared in the body


@dataclass(slots=True, eq=False)
class Module(Decl):
    path: str
    path_start: int
    path_end: int
    body: Expr  # Object, IfBody or For


@dataclass(slots=True, eq=False)
class Import(Node):
    """``import {a, b as c} from 'path'``, ``import * as ns from 'path'``, or the older ``import 'x@1' as ns``."""

    path: str
    path_start: int
    path_end: int
    symbols: list[tuple[str, str]]  # (original name, local name)
    wildcard: str | None = None
    decorators: list[Decorator] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class TargetScope(Node):
    value: Expr


@dataclass(slots=True, eq=False)
class Metadata(Node):
    name: str
    value: Expr


@dataclass(slots=True, eq=False)
class Extension(Node):
    spec: str
    alias: str | None
    config: Expr | None


@dataclass(slots=True, eq=False)
class Using(Node):
    """``using 'main.bicep'`` in a .bicepparam file (``path`` None for ``using none``)."""

    path: str | None
    path_start: int
    path_end: int


@dataclass(slots=True, eq=False)
class ParamValue(Node):
    """``param name = value`` in a .bicepparam file."""

    name: str
    name_start: int
    value: Expr


@dataclass(slots=True, eq=False)
class Broken(Node):
    """A declaration that could not be parsed (or uses a construct acrlint does not read)."""

    message: str
    at: int  # offset of the problem
    keyword: str = ""


Statement = (Param | Var | Output | TypeDecl | Func | Resource | Module | Import | TargetScope | Metadata | Extension
             | Using | ParamValue | Broken)


@dataclass(slots=True, eq=False)
class Program:
    statements: list[Statement]
    text: str
