"""CIDR template functions (learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-cidr):
parseCidr, cidrSubnet and cidrHost, in the ``sys`` namespace like every built-in function.

The reference's examples decide the shape of the results: IPv4 ranges have a ``broadcast`` address and their usable
hosts exclude the network and broadcast addresses ("192.168.1.0 serves as the network identifier address ...
so, when the function is passed a hostIndex of 0, 192.168.1.1 is returned"); IPv6 ranges have no broadcast,
``firstUsable`` is the network address itself and ``lastUsable`` the last address, while cidrHost's index 0 is
still network + 1 ("fdad:3236:5555:3000::1"). The reference says nothing of /31 and /32 IPv4 ranges: there the
whole range is usable (RFC 3021), so no valid template is reported as wrong.
"""
from __future__ import annotations

import ipaddress
from typing import Any

from .functions_base import arg_int, arg_str, register
from .nodes import Call, EvalContext, ExprError

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _network(fn: str, text: str) -> _Network:
    if "/" not in text:
        raise ExprError(f"{fn}(): '{text}' is not in CIDR notation (address/prefix)")
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise ExprError(f"{fn}(): '{text}' is not a valid IP address range in CIDR notation") from None


def _usable(net: _Network) -> tuple[int, int]:
    """First and last usable address of a range, as integers."""
    first, last = int(net.network_address), int(net.broadcast_address)
    if net.version == 4 and net.prefixlen <= 30:
        return first + 1, last - 1
    return first, last


@register("parseCidr", 1, 1)
def _parse_cidr(cx: EvalContext, args: list[Any], call: Call) -> Any:
    net = _network("parseCidr", arg_str("parseCidr", args, 0))
    first, last = _usable(net)
    addr = type(net.network_address)
    out: dict[str, Any] = {"network": str(net.network_address), "netmask": str(net.netmask)}
    if net.version == 4:
        out["broadcast"] = str(net.broadcast_address)
    out["firstUsable"] = str(addr(first))
    out["lastUsable"] = str(addr(last))
    out["cidr"] = net.prefixlen
    return out


@register("cidrSubnet", 3, 3)
def _cidr_subnet(cx: EvalContext, args: list[Any], call: Call) -> Any:
    net = _network("cidrSubnet", arg_str("cidrSubnet", args, 0))
    new_prefix = arg_int("cidrSubnet", args, 1)
    index = arg_int("cidrSubnet", args, 2)
    if not net.prefixlen <= new_prefix <= net.max_prefixlen:
        raise ExprError(f"cidrSubnet(): the new CIDR {new_prefix} must be between {net.prefixlen} and {net.max_prefixlen}")
    count = 1 << (new_prefix - net.prefixlen)
    if not 0 <= index < count:
        raise ExprError(f"cidrSubnet(): subnet index {index} is out of range: {net} has {count} subnets of /{new_prefix}")
    start = int(net.network_address) + (index << (net.max_prefixlen - new_prefix))
    return f"{type(net.network_address)(start)}/{new_prefix}"


@register("cidrHost", 2, 2)
def _cidr_host(cx: EvalContext, args: list[Any], call: Call) -> Any:
    net = _network("cidrHost", arg_str("cidrHost", args, 0))
    index = arg_int("cidrHost", args, 1)
    base = int(net.network_address)
    first = base + 1 if net.version == 6 or net.prefixlen <= 30 else base
    last = _usable(net)[1]
    if index < 0 or first + index > last:
        raise ExprError(f"cidrHost(): host index {index} is out of range: {net} has {last - first + 1} usable addresses")
    return str(type(net.network_address)(first + index))
