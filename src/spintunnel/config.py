"""The run configuration: a TOML file validated with pydantic.

Every field is typed and carries its unit in its name. Unknown keys, NaN or infinite values,
negative gaps or temperatures and missing required fields are errors that name the field.
The built-in default (:data:`DEFAULT_CONFIG_TOML`) is the paper's setting: equal aluminium
gaps, eV = Delta/2, T well below T_c, R_Q/R_n ~ 0.1, and the straight Rashba + Zeeman link of
Eq. (11) in a field of about 1 T.
"""

from __future__ import annotations

import math
import tomllib
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from . import links
from . import methods as _methods
from .leads import bcs_gap_meV

__all__ = ["RunConfig", "load_config", "DEFAULT_CONFIG_TOML", "ConfigError", "ValidationError"]


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the field."""


class _Strict(BaseModel):
    # strict: a number given as a string ("0.09") is an error, not a silent conversion
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True, strict=True)


class LeadConfig(_Strict):
    """A BCS lead. Give exactly one of: the gap itself, the zero-temperature gap (then
    Delta(T) follows from the weak-coupling gap equation), or the critical temperature.
    A normal lead has ``gap_meV = 0``."""

    gap_meV: float | None = Field(None, ge=0, description="gap Delta used as is, meV (0: normal metal)")
    gap_zero_meV: float | None = Field(None, gt=0, description="Delta(0), meV; Delta(T) from BCS")
    critical_temperature_K: float | None = Field(None, gt=0, description="T_c, K; Delta(0) = 1.764 k_B T_c")

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [n for n in ("gap_meV", "gap_zero_meV", "critical_temperature_K") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one of gap_meV, gap_zero_meV, critical_temperature_K (got {given or 'none'})"
            )
        return self

    def gap_at(self, temperature_K: float) -> float:
        """The gap in meV at the given temperature."""
        if self.gap_meV is not None:
            return self.gap_meV
        if self.gap_zero_meV is not None:
            return bcs_gap_meV(temperature_K, self.gap_zero_meV)
        from .leads import GAP_RATIO_WEAK_COUPLING
        from .units import kelvin_to_meV

        assert self.critical_temperature_K is not None  # exactly one of the three is given (validator)
        return bcs_gap_meV(temperature_K, GAP_RATIO_WEAK_COUPLING * kelvin_to_meV(self.critical_temperature_K))


class StraightLink(_Strict):
    """Straight Rashba + Zeeman link, Eq. (11), (S45)."""

    model: Literal["straight_rashba_zeeman"]
    kso_d: float = Field(description="Rashba phase k_so d, dimensionless")
    b: float = Field(gt=-1, lt=1, description="m* B_y / k_F^2 ~ Zeeman energy / (2 E_F), dimensionless")
    kf_over_kso: float = Field(gt=0, description="k_F / k_so, dimensionless")

    def pair(self, convention: str):
        return links.model_pair(
            links.straight_rashba_zeeman,
            convention=convention,
            kso_d=self.kso_d,
            b=self.b,
            kf_over_kso=self.kf_over_kso,
        )


class BentLink(_Strict):
    """Bent two-segment link, (S26) for field 'z', (S27) for 'y'."""

    model: Literal["bent_two_segment"]
    kso_d: float = Field(description="Rashba phase k_so d, dimensionless")
    theta_rad: float = Field(description="segment angle theta, rad")
    field: Literal["z", "y"] = "z"

    def pair(self, convention: str):
        return links.model_pair(
            links.bent_two_segment, convention=convention, kso_d=self.kso_d, theta=self.theta_rad, field=self.field
        )


class MatrixLink(_Strict):
    """A user matrix J/J0 = J_real + i J_imag, optionally with its reversed-field partner."""

    model: Literal["matrix"]
    J_real: list[list[float]]
    J_imag: list[list[float]] = [[0.0, 0.0], [0.0, 0.0]]
    J_reversed_field_real: list[list[float]] | None = None
    J_reversed_field_imag: list[list[float]] | None = None

    def pair(self, convention: str):
        J = np.asarray(self.J_real) + 1j * np.asarray(self.J_imag)
        rev = None
        if self.J_reversed_field_real is not None:
            rev = np.asarray(self.J_reversed_field_real) + 1j * np.asarray(
                self.J_reversed_field_imag or np.zeros((2, 2))
            )
        return links.link_pair(J, rev, convention=convention)


class _SharedChannels(_Strict):
    """``transmissions = [tau_1, tau_2, ...]`` beside a link model: a multi-channel contact
    whose channels all have this model's spin structure (docs/junction.md, "Channels")."""

    transmissions: list[Annotated[float, Field(gt=0, le=1)]] | None = Field(
        None,
        min_length=1,
        description="channel transmissions tau_i (mean of each channel's two spin "
        "eigen-channels), dimensionless; R_n = pi R_Q / Sum tau_i then follows",
    )

    def pair(self, convention: str):  # provided by the link model the mixin is combined with
        raise NotImplementedError

    def channel_list(self, convention: str):
        """[(tau_i, j, jbar)] of a multi-channel link, or None for the single channel of R_n."""
        if self.transmissions is None:
            return None
        J, Jbar = self.pair(convention)
        return [(t, J, Jbar) for t in self.transmissions]


class StraightLinkConfig(StraightLink, _SharedChannels):
    pass


class BentLinkConfig(BentLink, _SharedChannels):
    pass


class MatrixLinkConfig(MatrixLink, _SharedChannels):
    pass


class _OneChannel(_Strict):
    transmission: float = Field(gt=0, le=1, description="tau_i, mean of the channel's two spin eigen-channels")


class StraightChannel(StraightLink, _OneChannel):
    pass


class BentChannel(BentLink, _OneChannel):
    pass


class MatrixChannel(MatrixLink, _OneChannel):
    pass


ChannelConfig = Annotated[StraightChannel | BentChannel | MatrixChannel, Field(discriminator="model")]


class ChannelsLink(_Strict):
    """``model = "channels"`` with ``[[link.channels]]`` tables: per-channel link models, each
    with its ``transmission``."""

    model: Literal["channels"]
    channels: list[ChannelConfig] = Field(min_length=1)

    def channel_list(self, convention: str):
        """[(tau_i, j_i, jbar_i)] of the channels."""
        return [(c.transmission, *c.pair(convention)) for c in self.channels]

    def pair(self, convention: str):
        raise ConfigError("link.model = 'channels' has one spin structure per channel, not one pair")


LinkConfig = Annotated[
    StraightLinkConfig | BentLinkConfig | MatrixLinkConfig | ChannelsLink, Field(discriminator="model")
]


class JunctionConfig(_Strict):
    left: LeadConfig
    right: LeadConfig
    temperature_K: float = Field(ge=0, description="temperature, K")
    bias_mV: float = Field(description="bias V (eV = mu_L - mu_R), mV")
    phi0_rad: float = Field(0.0, description="phase difference phi0, rad")
    normal_resistance_ohm: float | None = Field(
        None,
        gt=0,
        description="R_n, Ohm, of a single-channel contact; fixes the amplitude J of every method "
        "through the all-orders normal conductance, R_n = 2 pi R_Q / Sum tau_i (not given with link channels)",
    )
    volume_nm3: float = Field(2.0 * math.pi / 3.0, gt=0, description="volume V0 for the field estimate, nm^3")
    spin_relaxation_time_ns: float | None = Field(
        None,
        gt=0,
        description="spin relaxation time tau_s of the left lead, ns: the steady "
        "moment tau_s I_s,dc of dM/dt = I_s - M/tau_s where a dc spin current flows",
    )


class MethodsConfig(_Strict):
    methods: list[str] = Field(
        default_factory=lambda: list(_methods.DEFAULT),
        min_length=1,
        description="methods to compute (spintunnel.methods.names())",
    )
    time_reversal: Literal["standard", "paper"] = Field(
        "standard", description="relation giving Jbar for the printed route"
    )
    broadening_meV: float = Field(0.0, ge=0, description="Dynes broadening Gamma, meV (0: principal value)")
    options: dict[str, dict[str, bool | int | float]] = Field(
        default_factory=dict, description="per-method options, e.g. [methods.options.exact] n_levels = 16"
    )

    @model_validator(mode="after")
    def _known_methods(self):
        known = _methods.names()
        unknown = [m for m in self.methods if m not in known]
        if unknown:
            raise ValueError(f"unknown method(s) {unknown}; methods: {list(known)}")
        if len(set(self.methods)) != len(self.methods):
            raise ValueError(f"methods are repeated: {self.methods}")
        for name, opts in self.options.items():
            _methods.get(name, **opts)  # raises ValueError naming the method and option
        return self

    def method(self, name: str):
        """The configured instance of one method (with its options)."""
        return _methods.get(name, **self.options.get(name, {}))


class OutputConfig(_Strict):
    periods: float = Field(3.0, gt=0, le=1000, description="Josephson periods in the time trace")
    samples_per_period: int = Field(64, ge=8, le=10000)
    sweep_points: int = Field(48, ge=2, le=2000, description="biases in the sweep figure")
    pdf: bool = False


class DetectorConfig(_Strict):
    """A magnetometer (NV centre, SQUID-on-tip) above the left lead's surface, which the
    contact pierces at the origin (docs/profile.md): the stray field of the computed spin
    density there is reported, beside the paper's V0 estimate."""

    height_nm: float = Field(20.0, gt=0, description="height z above the lead's surface, nm")
    lateral_nm: float = Field(0.0, ge=0, description="lateral distance from the contact along x, nm")
    material: Literal["aluminium"] = Field("aluminium", description="free-electron metal of the lead (k_F, v_F)")


class RunConfig(_Strict):
    junction: JunctionConfig
    link: LinkConfig
    methods: MethodsConfig = MethodsConfig()
    output: OutputConfig = OutputConfig()
    detector: DetectorConfig = DetectorConfig()

    @model_validator(mode="after")
    def _resistance_or_channels(self):
        multi = self.link.model == "channels" or getattr(self.link, "transmissions", None) is not None
        if multi and self.junction.normal_resistance_ohm is not None:
            raise ValueError(
                "junction.normal_resistance_ohm and link channels (transmissions) are both given: R_n "
                "follows from the channel transmissions, R_n = pi R_Q / Sum tau_i; give one of them"
            )
        if not multi and self.junction.normal_resistance_ohm is None:
            raise ValueError(
                "junction.normal_resistance_ohm is missing (or give link.transmissions for a multi-channel contact)"
            )
        return self


DEFAULT_CONFIG_TOML = """\
# spintunnel run configuration (TOML). Units are in the field names.
# The paper's setting: two aluminium leads, eV = Delta/2, T << T_c, R_Q/R_n ~ 0.1,
# the straight Rashba + Zeeman link of Eq. (11) in a field of about 1 T.

[junction]
temperature_K = 0.1
bias_mV = 0.09                  # eV = Delta/2
phi0_rad = 0.0
normal_resistance_ohm = 41000.0 # R_Q/R_n = 0.100 (R_Q = hbar/e^2): mean transmission pi R_Q/R_n = 0.315
volume_nm3 = 2.0943951          # half-sphere of radius 1 nm (field estimate, S30 ff.)
# spin_relaxation_time_ns = 0.1  # tau_s: steady moment tau_s I_s,dc where a dc spin current flows

[junction.left]
gap_zero_meV = 0.18             # aluminium; Delta(T) from the BCS gap equation

[junction.right]
gap_zero_meV = 0.18

[link]
model = "straight_rashba_zeeman"  # or "bent_two_segment" (kso_d, theta_rad, field) or "matrix"
kso_d = 1.0
b = 0.003                       # m* B_y / k_F^2: Zeeman 0.058 meV (1 T) over 2 E_F = 20 meV
kf_over_kso = 3.0

[methods]
methods = ["paper", "second_order", "all_orders"]  # also "exact": the finite-model referee, ~7 s
time_reversal = "standard"           # relation for Jbar of the printed route: "standard" or "paper"
broadening_meV = 0.0                 # 0: principal value (S37); > 0: Dynes broadening

[detector]
height_nm = 20.0                # NV centre / SQUID-on-tip above the contact: the stray field there
lateral_nm = 0.0

[output]
periods = 3.0
samples_per_period = 64
sweep_points = 48               # biases in the bias-sweep figure
pdf = false
"""


_DEFAULT_METHODS_LINE = (
    'methods = ["paper", "second_order", "all_orders"]  # also "exact": the finite-model referee, ~7 s'
)


def default_config_text(methods=None, time_reversal=None) -> str:
    """The built-in default TOML with its methods list (a list of method names) and/or its
    time-reversal relation replaced; the base of derived configs (sweeps, tests, benchmarks)."""
    text = DEFAULT_CONFIG_TOML
    if methods is not None:
        text = text.replace(_DEFAULT_METHODS_LINE, "methods = [" + ", ".join(f'"{m}"' for m in methods) + "]")
    if time_reversal is not None:
        text = text.replace('time_reversal = "standard"', f'time_reversal = "{time_reversal}"')
    return text


def with_methods(cfg: RunConfig, names) -> RunConfig:
    """The config with its methods list replaced (validated: unknown names are a ConfigError)."""
    data = cfg.model_dump()
    data["methods"]["methods"] = list(names)
    try:
        return RunConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_errors(exc)) from exc


def _format_errors(err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        loc = ".".join(
            str(p)
            for p in e["loc"]
            if not (isinstance(p, str) and p in ("straight_rashba_zeeman", "bent_two_segment", "matrix"))
        )
        lines.append(f"  {loc or '(top)'}: {e['msg']}")
    return "invalid configuration:\n" + "\n".join(lines)


def parse_config(text: str) -> RunConfig:
    """Parse and validate TOML text; raise :class:`ConfigError` naming every bad field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}") from exc
    try:
        return RunConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_errors(exc)) from exc


def load_config(path=None) -> RunConfig:
    """The configuration in ``path`` (TOML), or the built-in default when ``path`` is None."""
    if path is None:
        return parse_config(DEFAULT_CONFIG_TOML)
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        text = raw.decode()
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text") from exc
    return parse_config(text)
