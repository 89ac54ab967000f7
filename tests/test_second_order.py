"""Second order from the Hamiltonian (spintunnel.second_order) against independent checks.

Chain of checks (docs/second_order.md, Sec. 7):
1. the harmonic (frequency-domain) formula of one left sector against a direct time
   integration of the second-order equations of motion with adiabatic switching;
2. the same formula against the exact solver's discrete second order (other engineer);
3. the continuum results against closed forms derived by hand (coherence factors summed
   analytically), integrated with scipy's adaptive quadrature (slow, independent of the
   Gauss grids of the module);
4. symmetries and limits: SU(2) amplitudes, singlet pair transfer, normal leads, odd in
   bias, time-reversal invariant links, global spin-rotation covariance.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from spintunnel import second_order as so

from strategies import spin_matrices, su2_rotations

SIG = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex)
EPS = np.array([[0, 1], [-1, 0]], dtype=complex)


def _random_blocks(seed):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)) for _ in range(4)]


def _spin_trace(A):
    return np.array([np.trace(s @ A) for s in SIG])


def _fermi(e, T):
    if T == 0:
        return np.where(np.asarray(e) > 0, 0.0, 1.0)
    return 0.5 * (1 - np.tanh(np.asarray(e) / (2 * T)))


# --------------------------------------------------------------------------- references
def _quad2(f):
    """4 x int_0^inf int_0^inf f(xi_k, xi_p): the whole-line integral of an even f."""
    val, _ = integrate.dblquad(lambda y, x: f(x, y), 0, np.inf, 0, np.inf, epsabs=1e-14, epsrel=1e-12)
    return 4 * val


def _I_dc(V, dl, dr):
    """I(eV) = int int [(E_k+E_p+eV)^-2 - (E_k+E_p-eV)^-2] (closed-form spin reduction)."""

    def f(x, y):
        s = np.hypot(x, dl) + np.hypot(y, dr)
        return 1 / (s + V) ** 2 - 1 / (s - V) ** 2

    return _quad2(f)


def _kappa_ac(V, dl, dr):
    """kappa_ac = (eV/4) int int D_L D_R (2E_k + E_p) / (E_k E_p (E_k^2 - V^2)(S^2 - V^2))."""

    def f(x, y):
        ek, ep = np.hypot(x, dl), np.hypot(y, dr)
        return V / 4 * dl * dr * (2 * ek + ep) / (ek * ep * (ek**2 - V**2) * ((ek + ep) ** 2 - V**2))

    return _quad2(f)


def _rates(V, T, dl, dr):
    """(alpha, beta) of the dc spin current, I_k = alpha S_k + beta S_-k (golden rule).

    alpha = -(2 pi / 8) sum_{s,r} (f_s - f_r) int int (2 - b_k^2) delta(eV - r E_p + s E_k)
    beta  = +(2 pi / 8) sum_{s,r} (f_s - f_r) int int b_k^2 delta(-eV - r E_p + s E_k)
    with b_k = Delta_L / E_k; dxi dxi -> 4 dE_k N_L(E_k) N_R(E_p).
    """

    def dos(E, d):
        return E / np.sqrt(E * E - d * d) if E > d else 0.0

    def part(sign_v, weight):
        tot = 0.0
        for s in (1, -1):
            for r in (1, -1):

                def f(ek):
                    ep = r * (sign_v * V + s * ek)
                    if ep <= dr:
                        return 0.0
                    return dos(ek, dl) * dos(ep, dr) * weight(ek) * (_fermi(s * ek, T) - _fermi(r * ep, T))

                edges = [e for e in (dr - s * sign_v * V, r * sign_v * V * s - dr * s, abs(V) - dr) if e > dl]
                top = max(dl, abs(V)) + 60 * T + 5
                val = integrate.quad(
                    f, dl, top, points=sorted(set(edges)) or None, limit=500, epsabs=1e-13, epsrel=1e-11
                )[0]
                tot += val
        return 4 * tot

    alpha = -(2 * np.pi / 8) * part(+1, lambda e: 2 - (dl / e) ** 2)
    beta = (2 * np.pi / 8) * part(-1, lambda e: (dl / e) ** 2)
    return alpha, beta


# --------------------------------------------------------------------------- 1. time domain
def _time_domain_rho2(xk, xp, W, dl, dr, V, T, eta, t_end):
    """Integrate i d rho1/dt = [H0, rho1] + [V, rho0], i d rho2/dt = [H0, rho2] + [V, rho1]
    with V(t) e^{eta t} from e^{eta t0} = 1e-8 (one left and one right sector)."""
    from scipy.integrate import solve_ivp

    N = 16
    H0 = np.zeros((N, N), dtype=complex)
    H0[:8, :8] = xk * so._TZ8 + dl * so._A8
    H0[8:, 8:] = xp * so._TZ8 + dr * so._A8
    w, U = np.linalg.eigh(H0)
    rho0 = (U * _fermi(w, T)) @ U.conj().T
    comps = so._tunnel_components(W)

    def vt(t):
        m = np.zeros((N, N), dtype=complex)
        for a in (1, -1):
            ph = np.exp(-1j * a * V * t) * np.exp(eta * t)
            m[:8, 8:] += comps[a][0] * ph
            m[8:, :8] += comps[a][1] * ph
        return m

    def rhs(t, y):
        r1 = y[: N * N].reshape(N, N)
        r2 = y[N * N :].reshape(N, N)
        v = vt(t)
        d1 = -1j * (H0 @ r1 - r1 @ H0 + v @ rho0 - rho0 @ v)
        d2 = -1j * (H0 @ r2 - r2 @ H0 + v @ r1 - r1 @ v)
        return np.concatenate([d1.ravel(), d2.ravel()])

    t0 = np.log(1e-8) / eta
    sol = solve_ivp(rhs, (t0, t_end), np.zeros(2 * N * N, dtype=complex), rtol=1e-9, atol=1e-11, method="DOP853")
    return sol.y[N * N :, -1].reshape(N, N)[:8, :8]


@pytest.mark.parametrize("T", [0.0, 0.25])
def test_harmonic_formula_matches_time_integration_of_second_order(T):
    W = np.block([[b for b in _random_blocks(1)[:2]], [b for b in _random_blocks(1)[2:]]])
    xk, xp, dl, dr, V, eta, t = 0.3, -0.55, 1.0, 0.8, 0.37, 0.15, 1.3
    direct = _time_domain_rho2(xk, xp, W, dl, dr, V, T, eta, t)
    comp = so.density_matrix_second_order(
        xk, xp, W[:2, :2], W[2:, 2:], V, T, dl, dr, cross=(W[:2, 2:], W[2:, :2]), eta=eta
    )
    pred = sum(comp[n] * np.exp(-1j * n * V * t) for n in comp) * np.exp(2 * eta * t)
    assert np.abs(direct - pred).max() < 1e-6 * np.abs(direct).max()


# --------------------------------------------------------------------------- 2. exact solver
@pytest.mark.parametrize("T", [0.0, 0.15])
def test_discrete_formula_matches_exact_solver_second_order(T):
    from spintunnel import exact

    J, Jc1, Jc2, Jb = _random_blocks(11)
    blocks = {"pp": J, "pm": Jc1, "mp": Jc2, "mm": Jb}
    levels_r = [-0.7, 0.45]
    jn = exact.FiniteJunction(
        levels_left=[0.3],
        levels_right=levels_r,
        gap_left=1.0,
        gap_right=0.8,
        temperature=T,
        bias=0.37,
        blocks=blocks,
        hopping=1.0,
    )
    ref = exact.discrete_second_order(jn)
    d = so.density_matrix_second_order(0.3, levels_r, J, Jb, 0.37, T, 1.0, 0.8, cross=(Jc1, Jc2), eta=1e-7)
    static = np.einsum("scab,ba->sc", so._OBS, d[0]).real
    harm = np.einsum("scab,ba->sc", so._OBS, d[-2])
    scale = np.abs(ref.static_sector).max()
    assert np.abs(static - ref.static_sector).max() < 1e-5 * scale
    assert np.abs(harm - ref.harmonic_sector).max() < 1e-5 * np.abs(harm).max()


# --------------------------------------------------------------------------- 3. continuum
DC_CASES = [
    (0.37, 1.0, 0.8),
    (-0.9, 1.0, 1.0),
    (1.7, 1.0, 0.8),  # close to the threshold 1.8
    (0.5, 1.0, 0.0),  # normal right lead
    (0.5, 0.0, 1.0),  # normal left lead
    (0.05, 0.3, 2.0),
]


@pytest.mark.parametrize("V,dl,dr", DC_CASES)
def test_dc_magnetization_matches_closed_form_quadrature(V, dl, dr):
    J, Jc1, Jc2, Jb = _random_blocks(5)
    got = so.magnetization_dc(J, Jb, V, 0.0, dl, dr, cross=(Jc1, Jc2), sectors=True)
    Sk = _spin_trace(J @ J.conj().T + Jc1 @ Jc1.conj().T).real
    Smk = _spin_trace(Jc2 @ Jc2.conj().T + Jb @ Jb.conj().T).real
    I = _I_dc(V, dl, dr)
    if dl > 0:  # Andreev mixing shares the injected spin equally between k and -k
        ref = np.array([I / 8 * (Sk + Smk), I / 8 * (Sk + Smk)])
    else:  # a normal left lead keeps it where it tunnelled
        ref = np.array([I / 4 * Sk, I / 4 * Smk])
    assert np.abs(got - ref).max() < 1e-8 * np.abs(ref).max()


@pytest.mark.parametrize("V,dl,dr", [(0.37, 1.0, 0.8), (-0.6, 1.0, 1.0), (0.95, 1.0, 0.5), (0.2, 0.5, 1.5)])
def test_ac_sector_amplitude_matches_closed_form_quadrature(V, dl, dr):
    J, Jc1, Jc2, Jb = _random_blocks(6)
    got = so.magnetization_ac(J, Jb, V, 0.0, dl, dr, cross=(Jc1, Jc2), sectors=True)
    ref = _kappa_ac(V, dl, dr) * _spin_trace((J @ EPS @ Jb.T + Jc1 @ EPS @ Jc2.T) @ EPS)
    assert np.abs(got[0] - ref).max() < 1e-8 * np.abs(ref).max()
    assert np.abs(got[1] + ref).max() < 1e-8 * np.abs(ref).max()


@pytest.mark.parametrize(
    "V,T,dl,dr",
    [
        (0.37, 0.2, 1.0, 0.8),
        (2.3, 0.0, 1.0, 0.8),
        (2.3, 0.3, 1.0, 0.8),
        (0.5, 0.3, 1.0, 0.0),
        (0.5, 0.3, 0.0, 1.0),
        (0.1, 0.1, 1.0, 1.0),
    ],
)
def test_dc_spin_current_matches_golden_rule_quadrature(V, T, dl, dr):
    J, Jc1, Jc2, Jb = _random_blocks(4)
    got = so.spin_current_dc(J, Jb, V, T, dl, dr, cross=(Jc1, Jc2), sectors=True)
    Sk = _spin_trace(J @ J.conj().T + Jc1 @ Jc1.conj().T).real
    Smk = _spin_trace(Jc2 @ Jc2.conj().T + Jb @ Jb.conj().T).real
    alpha, beta = _rates(V, T, dl, dr)
    ref = np.array([alpha * Sk + beta * Smk, beta * Sk + alpha * Smk])
    assert np.abs(got - ref).max() < 1e-7 * np.abs(ref).max()


def test_spin_current_at_coinciding_gap_edges_raises():
    J = np.diag([1.2, 0.7]).astype(complex)
    with pytest.raises(ValueError, match="coincide"):
        so.spin_current_dc(J, J, 0.2, 0.3, 1.0, 0.8, cross="equal")


def test_spin_current_vanishes_at_zero_temperature_below_threshold():
    J, Jc1, Jc2, Jb = _random_blocks(8)
    got = so.spin_current_dc(J, Jb, [0.0, 0.5, 1.79], 0.0, 1.0, 0.8, cross=(Jc1, Jc2))
    assert np.all(got == 0)


# --------------------------------------------------------------------------- 4. physics
def test_total_ac_magnetization_vanishes_identically_even_in_the_discrete_model():
    rng = np.random.default_rng(7)
    for _ in range(3):
        J, Jc1, Jc2, Jb = _random_blocks(int(rng.integers(1000)))
        d = so.density_matrix_second_order(
            rng.normal(), rng.normal(size=3), J, Jb, 0.41, 0.3, 1.0, 0.7, cross=(Jc1, Jc2), eta=0.03
        )
        sectors = np.einsum("scab,ba->sc", so._OBS, d[-2])
        assert np.abs(sectors).max() > 1e-2
        assert np.abs(sectors.sum(axis=0)).max() < 1e-13 * np.abs(sectors).max()


def test_su2_amplitude_with_equal_blocks_gives_no_magnetization_or_spin_current():
    U = 1.3 * (np.cos(0.7) * np.eye(2) - 1j * np.sin(0.7) * (0.6 * SIG[0] + 0.8 * SIG[2]))
    for V in (0.37, 1.2):
        assert np.abs(so.magnetization_dc(U, U, V, 0.0, 1.0, 0.8, cross="equal")).max() < 1e-12
        assert np.abs(so.magnetization_ac(U, U, 0.37, 0.0, 1.0, 0.8, cross="equal", sectors=True)).max() < 1e-12
    assert np.abs(so.spin_current_dc(U, U, 0.37, 0.3, 1.0, 0.8, cross="equal")).max() < 1e-12


def test_momentum_independent_amplitude_transfers_a_singlet_pair():
    J = _random_blocks(9)[0]
    m = so.magnetization_ac(J, J, 0.4, 0.0, 1.0, 0.8, cross="equal", sectors=True)
    assert np.abs(m).max() < 1e-12
    # the same J without the cross blocks has a triplet component per sector
    m2 = so.magnetization_ac(J, 0.5 * J + _random_blocks(10)[0], 0.4, 0.0, 1.0, 0.8, sectors=True)
    assert np.abs(m2).max() > 1e-2


def test_ac_magnetization_vanishes_for_normal_right_lead():
    J, Jc1, Jc2, Jb = _random_blocks(12)
    m = so.magnetization_ac(J, Jb, 0.4, 0.0, 1.0, 0.0, cross=(Jc1, Jc2), sectors=True)
    assert np.all(m == 0)
    # and the general formula agrees when the right gap is tiny
    m_small = so.magnetization_ac(J, Jb, 0.4, 0.0, 1.0, 1e-6, cross=(Jc1, Jc2), sectors=True)
    assert np.abs(m_small).max() < 1e-4


def test_spin_filter_dc_magnetization_survives_either_normal_lead():
    J = np.diag([1.2, 0.7]).astype(complex)
    for dl, dr in ((1.0, 0.0), (0.0, 1.0), (1.0, 1.0)):
        M = so.magnetization_dc(J, J, 0.5, 0.0, dl, dr, cross="equal")
        assert abs(M[2]) > 0.1 and np.abs(M[:2]).max() < 1e-12


def test_dc_magnetization_is_odd_in_bias_and_zero_without_bias():
    J, Jc1, Jc2, Jb = _random_blocks(13)
    M = so.magnetization_dc(J, Jb, [-0.6, 0.0, 0.6], 0.0, 1.0, 0.8, cross=(Jc1, Jc2))
    assert np.abs(M[0] + M[2]).max() < 1e-12 * np.abs(M[0]).max()
    assert np.abs(M[1]).max() < 1e-12 * np.abs(M[0]).max()


def test_time_reversal_invariant_link_gives_no_dc_magnetization():
    J = _random_blocks(14)[0]
    Jb = SIG[1] @ J.conj() @ SIG[1]  # standard time reversal, no cross blocks
    M = so.magnetization_dc(J, Jb, 0.6, 0.0, 1.0, 0.8, sectors=True)
    ref = so.magnetization_dc(J, 0 * J, 0.6, 0.0, 1.0, 0.8, sectors=True)
    assert np.abs(M).max() < 1e-10 * np.abs(ref).max()


@settings(max_examples=15, deadline=None)
@given(spin_matrices(), spin_matrices(), su2_rotations(), su2_rotations(), st.floats(-0.9, 0.9))
def test_global_spin_rotation_covariance(J, Jb, UL, UR, V):
    if abs(V) < 1e-3 or np.abs(J).max() + np.abs(Jb).max() < 1e-3:
        return
    # rotating the left lead by UL rotates M; rotating the right lead changes nothing
    R = np.real(np.array([[np.trace(SIG[i] @ UL @ SIG[j] @ UL.conj().T) / 2 for j in range(3)] for i in range(3)]))
    M = so.magnetization_dc(J, Jb, V, 0.0, 1.0, 0.8, sectors=True)
    M2 = so.magnetization_dc(UL @ J @ UR, UL @ Jb @ UR, V, 0.0, 1.0, 0.8, sectors=True)
    scale = max(np.abs(M).max(), 1e-12)
    assert np.abs(M2 - M @ R.T).max() < 1e-9 * scale + 1e-12
    m = so.magnetization_ac(J, Jb, V, 0.0, 1.0, 0.8, sectors=True)
    m2 = so.magnetization_ac(UL @ J @ UR, UL @ Jb @ UR, V, 0.0, 1.0, 0.8, sectors=True)
    scale = max(np.abs(m).max(), 1e-12)
    # U(2) rotations multiply the pair amplitude by det(UL) det(UR)
    phase = np.linalg.det(UL) * np.linalg.det(UR)
    assert np.abs(m2 - phase * m @ R.T).max() < 1e-9 * scale + 1e-12


# --------------------------------------------------------------------------- divergences, API
def test_static_magnetization_raises_where_real_transitions_carry_spin():
    J = np.diag([1.2, 0.7]).astype(complex)
    with pytest.raises(so.DivergentMagnetizationError, match="spin_current_dc"):
        so.magnetization_dc(J, J, 0.4, 0.2, 1.0, 0.8, cross="equal")
    with pytest.raises(so.DivergentMagnetizationError):
        so.magnetization_dc(J, J, 2.0, 0.0, 1.0, 0.8, cross="equal")
    assert np.abs(so.spin_current_dc(J, J, 0.4, 0.2, 1.0, 0.8, cross="equal")[2]) > 1e-3


def test_bias_is_vectorised_and_total_is_sum_of_sectors():
    J, Jc1, Jc2, Jb = _random_blocks(15)
    V = np.array([[0.1, 0.2], [0.3, -0.4]])
    M = so.magnetization_dc(J, Jb, V, 0.0, 1.0, 0.8, cross=(Jc1, Jc2))
    Ms = so.magnetization_dc(J, Jb, V, 0.0, 1.0, 0.8, cross=(Jc1, Jc2), sectors=True)
    assert M.shape == (2, 2, 3) and Ms.shape == (2, 2, 2, 3)
    assert np.allclose(M, Ms.sum(axis=-2), rtol=0, atol=1e-14)
    assert np.allclose(M[1, 0], so.magnetization_dc(J, Jb, 0.3, 0.0, 1.0, 0.8, cross=(Jc1, Jc2)), rtol=0, atol=1e-14)
    j = so.spin_current_ac(J, Jb, 0.3, 0.0, 1.0, 0.8, cross=(Jc1, Jc2), sectors=True)
    m = so.magnetization_ac(J, Jb, 0.3, 0.0, 1.0, 0.8, cross=(Jc1, Jc2), sectors=True)
    assert np.allclose(j, 2j * 0.3 * m, rtol=0, atol=1e-14)


@pytest.mark.parametrize(
    "kwargs,name",
    [
        (dict(J=np.eye(3)), "J"),
        (dict(Jbar=[[1, np.nan], [0, 1]]), "Jbar"),
        (dict(temperature=-1.0), "temperature"),
        (dict(gap_left=np.inf), "gap_left"),
        (dict(gap_right=-0.1), "gap_right"),
        (dict(bias=np.nan), "bias"),
        (dict(cross="bogus"), "cross"),
        (dict(cross=(np.eye(2), np.ones(3))), "cross"),
    ],
)
def test_invalid_input_raises_value_error_naming_the_parameter(kwargs, name):
    args = dict(J=np.eye(2), Jbar=np.eye(2), bias=0.3, temperature=0.0, gap_left=1.0, gap_right=1.0, cross=None)
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        so.magnetization_dc(
            args.pop("J"),
            args.pop("Jbar"),
            args.pop("bias"),
            args.pop("temperature"),
            args.pop("gap_left"),
            args.pop("gap_right"),
            **args,
        )


# --------------------------------------------------------------------------- T > 0 statics
def test_static_part_depends_on_amplitudes_only_through_W_Wdag_even_for_discrete_levels():
    """Basis of the T > 0 shortcut: W -> W U (U unitary on the right lead) keeps W W^dag,
    hence the static part, while the pair harmonic changes."""
    rng = np.random.default_rng(21)
    J, Jc1, Jc2, Jb = _random_blocks(21)
    W = np.block([[J, Jc1], [Jc2, Jb]])
    U, _ = np.linalg.qr(rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4)))
    W2 = W @ U
    args = (
        0.31,
        [-0.4, 0.8],
    )
    d1 = so.density_matrix_second_order(*args, J, Jb, 0.45, 0.3, 1.0, 0.7, cross=(Jc1, Jc2), eta=0.05)
    d2 = so.density_matrix_second_order(
        *args, W2[:2, :2], W2[2:, 2:], 0.45, 0.3, 1.0, 0.7, cross=(W2[:2, 2:], W2[2:, :2]), eta=0.05
    )
    st1 = np.einsum("scab,ba->sc", so._OBS, d1[0])
    st2 = np.einsum("scab,ba->sc", so._OBS, d2[0])
    assert np.abs(st1 - st2).max() < 1e-12 * np.abs(st1).max()
    h1 = np.einsum("scab,ba->sc", so._OBS, d1[-2])
    h2 = np.einsum("scab,ba->sc", so._OBS, d2[-2])
    assert np.abs(h1 - h2).max() > 1e-3


def test_zero_bias_total_static_magnetization_vanishes_at_finite_temperature():
    """Particle-hole symmetry: (s, r) -> (-s, -r) flips every static term at eV = 0."""
    J, Jc1, Jc2, Jb = _random_blocks(22)
    total = 0
    for sk in (1, -1):
        d = so.density_matrix_second_order(
            sk * 0.37, [0.2, -0.2, 0.9, -0.9], J, Jb, 0.0, 0.3, 1.0, 0.7, cross=(Jc1, Jc2), eta=0.02
        )
        sec = np.einsum("scab,ba->sc", so._OBS, d[0]).real
        total = total + sec.sum(axis=0)
    assert np.abs(total).max() < 1e-12 * np.abs(sec).max()
    got = so.magnetization_dc(J, Jb, 0.0, 0.3, 1.0, 0.7, cross=(Jc1, Jc2))
    assert np.all(got == 0)
    for dr in (0.7, 1.0):  # equal gaps: no spurious edge coincidence at eV = 0
        assert np.all(so.magnetization_dc(J, Jb, 0.0, 0.3, 1.0, dr, cross=(Jc1, Jc2)) == 0)
        assert np.all(so.spin_current_dc(J, Jb, 0.0, 0.3, 1.0, dr, cross=(Jc1, Jc2)) == 0)
    with pytest.raises(NotImplementedError):
        so.magnetization_dc(J, Jb, 0.0, 0.3, 1.0, 0.7, cross=(Jc1, Jc2), sectors=True)


def test_finite_temperature_static_magnetization_zero_without_spin_polarising_blocks():
    U = 1.1 * (np.cos(0.4) * np.eye(2) - 1j * np.sin(0.4) * SIG[0])
    V2 = 0.7 * (np.cos(1.1) * np.eye(2) - 1j * np.sin(1.1) * SIG[1])
    # J J^dag and Jbar Jbar^dag proportional to 1: S_k = S_-k = 0
    got = so.magnetization_dc(U, V2, [0.4, 2.5], 0.3, 1.0, 0.8, sectors=True)
    assert np.all(got == 0)
    assert np.abs(so.spin_current_dc(U, V2, 0.4, 0.3, 1.0, 0.8)).max() < 1e-12


# --------------------------------------------------------------------------- T > 0 ac
def _G_ref(ek, ep, V, T):
    """sum_{s1,s2,r} s2 r (F1 - F2)/D0 of docs/second_order.md Sec. 4, written again."""
    f = _fermi
    out = 0.0
    for s1 in (1, -1):
        for s2 in (1, -1):
            for r in (1, -1):
                F1 = (f(s2 * ek, T) - f(r * ep, T)) / (-V - r * ep + s2 * ek)
                F2 = (f(r * ep, T) - f(s1 * ek, T)) / (-V - s1 * ek + r * ep)
                out += s2 * r * (F1 - F2) / (-2 * V - s1 * ek + s2 * ek)
    return out


def _kappa_ac_ref(V, T, dl, dr):
    """kappa_ac(eV, T) by scipy: Cauchy-weight principal values (QAWC) in t, E_p = D cosh t,
    residues by a symmetric numerical limit, delta parts -i pi sigma R / (D sinh t_s)."""
    import functools
    import math

    def fm(e):
        return 0.5 * (1.0 - math.tanh(e / (2.0 * T)))

    def G(ek, ep):  # scalar copy of _G_ref, in pure Python for speed
        out = 0.0
        for s1 in (1, -1):
            for s2 in (1, -1):
                d0 = -2 * V - s1 * ek + s2 * ek
                for r in (1, -1):
                    a = (-V - r * ep + s2 * ek) or 1e-300  # exact hits: one QAWC node
                    b = (-V - s1 * ek + r * ep) or 1e-300
                    F1 = (fm(s2 * ek) - fm(r * ep)) / a
                    F2 = (fm(r * ep) - fm(s1 * ek)) / b
                    out += s2 * r * (F1 - F2) / d0
        return out

    assert abs(G(1.3, 0.9) - _G_ref(1.3, 0.9, V, T)) < 1e-12

    @functools.cache
    def inner(ek):
        g = lambda t: G(ek, dr * math.cosh(t))  # noqa: E731
        poles = []
        for sg in (1, -1):
            e0 = ek + sg * V
            assert e0 > dr * 1.2  # parameters chosen so that poles stay off the edge
            h = 1e-6 * e0
            R = 0.5 * (G(ek, e0 + h) * h - G(ek, e0 - h) * h)
            poles.append((np.arccosh(e0 / dr), sg, R))
        poles.sort()
        w = 0.45 * min(poles[0][0], poles[1][0] - poles[0][0])
        edges = [0.0]
        total = 0.0 + 0.0j
        for ts, sg, R in poles:
            val = integrate.quad(
                lambda t: g(t if t != ts else ts + 1e-12) * (t - ts),
                ts - w,
                ts + w,
                weight="cauchy",
                wvar=ts,
                epsabs=1e-15,
                epsrel=1e-12,
                limit=200,
            )[0]
            total += val - 1j * np.pi * sg * R / (dr * np.sinh(ts))
            edges += [ts - w, ts + w]
        for a, b in zip(edges[0::2], edges[1::2], strict=False):  # the last edge opens the tail
            total += integrate.quad(g, a, b, epsabs=1e-15, epsrel=1e-12, limit=200)[0]
        total += integrate.quad(g, edges[-1], edges[-1] + 40, epsabs=1e-15, epsrel=1e-12, limit=200)[0]
        return total

    # outer: E_k = Delta_L cosh u, dE_k / xi_k = du
    out = 0.0 + 0.0j
    for part, unit in ((np.real, 1.0), (np.imag, 1j)):
        val = integrate.quad(lambda u: part(inner(dl * math.cosh(u))), 0, 15, epsabs=1e-13, epsrel=1e-11, limit=200)[0]
        out += unit * val
    return 0.5 * dl * dr * out


@pytest.mark.parametrize("V,T", [(0.3, 0.25), (-0.2, 0.6)])
def test_ac_sector_amplitude_at_finite_temperature_matches_principal_value_quadrature(V, T):
    dl, dr = 1.0, 0.5  # poles E_p = E_k +- eV stay away from the gap edge of the right lead
    J, Jc1, Jc2, Jb = _random_blocks(23)
    got = so.magnetization_ac(J, Jb, V, T, dl, dr, cross=(Jc1, Jc2), sectors=True)
    kappa = _kappa_ac_ref(V, T, dl, dr)
    assert abs(kappa.imag) > 1e-3 * abs(kappa.real)  # the thermal channels are resonant
    ref = kappa * _spin_trace((J @ EPS @ Jb.T + Jc1 @ EPS @ Jc2.T) @ EPS)
    assert np.abs(got[0] - ref).max() < 1e-8 * np.abs(ref).max()
    assert np.abs(got[1] + ref).max() < 1e-8 * np.abs(ref).max()


def test_finite_temperature_ac_is_continuous_across_a_gap_edge_crossing():
    """Delta_R + eV inside the left continuum: poles reach the right gap edge; compare two
    resolutions of the module's own quadrature and the T -> 0 limit."""
    k_lo = so._kappa_ac(0.37, 0.3, 1.0, 0.8)
    k_hi = so._kappa_ac(0.37, 0.3, 1.0, 0.8, n_outer=96, n_panel=24)
    assert abs(k_lo - k_hi) < 1e-9 * abs(k_hi)
    assert abs(so._kappa_ac(0.37, 0.0, 1.0, 0.8) - _kappa_ac(0.37, 1.0, 0.8)) < 1e-9


def test_pair_harmonic_spin_structure_is_the_triplet_part_of_J_eps_Jbar_at_finite_T():
    """Discrete levels (symmetrised over +-xi), finite eta, T > 0: the k-sector 2eV
    harmonic is one scalar times Tr[sigma (J eps Jbar^T + Jc1 eps Jc2^T) eps]."""
    rows, vals = [], []
    for seed in range(30, 36):
        J, Jc1, Jc2, Jb = _random_blocks(seed)
        h = 0
        for sk in (1, -1):
            d = so.density_matrix_second_order(
                sk * 0.4, [0.3, -0.3, 1.1, -1.1], J, Jb, 0.33, 0.3, 1.0, 0.7, cross=(Jc1, Jc2), eta=0.04
            )
            h = h + np.einsum("scab,ba->sc", so._OBS, d[-2])
        rows.append(_spin_trace((J @ EPS @ Jb.T + Jc1 @ EPS @ Jc2.T) @ EPS))
        vals.append(h[0])
    rows, vals = np.concatenate(rows), np.concatenate(vals)
    coef = np.vdot(rows, vals) / np.vdot(rows, rows)
    assert np.abs(vals - coef * rows).max() < 1e-12 * np.abs(vals).max()


def test_continuum_formula_is_the_limit_of_the_exact_solvers_discrete_second_order(monkeypatch):
    """Midpoint levels on [-B, B] with hopping h (sum -> integral, rho = 1/h per pair
    sector): the exact solver's discrete second order converges to the continuum formula
    evaluated with the same band, as h^2, for the static part and the 2eV harmonic."""
    from spintunnel import exact

    J, Jc1, Jc2, Jb = _random_blocks(5)
    V, dl, dr, B = 0.37, 1.0, 0.8, 6.0
    monkeypatch.setattr(so, "_XI_MAX_FACTOR", B / max(dl, dr, V))
    W = so.tunnelling_matrix(J, Jb, (Jc1, Jc2))
    static = so._continuum_T0(W, V, dl, dr, 0).real
    harm = so._continuum_T0(W, V, dl, dr, -2)
    errs = []
    for n in (24, 48):
        h = 2 * B / n
        lev = -B + h * (np.arange(n) + 0.5)
        jn = exact.FiniteJunction(
            levels_left=lev,
            levels_right=lev,
            gap_left=dl,
            gap_right=dr,
            temperature=0.0,
            bias=V,
            blocks={"pp": J, "pm": Jc1, "mp": Jc2, "mm": Jb},
            hopping=h,
        )
        ref = exact.discrete_second_order(jn)
        errs.append(
            (
                np.abs(ref.static_sector - static).max() / np.abs(static).max(),
                np.abs(ref.harmonic_sector - harm).max() / np.abs(harm).max(),
            )
        )
    assert errs[1][0] < 1e-4 and errs[1][1] < 5e-5
    assert errs[0][0] / errs[1][0] > 3.5 and errs[0][1] / errs[1][1] > 1.8


def _kappa_ac_resonant_ref(V, dl, dr):
    """T = 0, gap_left < eV < gap_left + gap_right: the closed form of Sec. 4 with
    1/(E_k - eV + i0), by scipy (QAWC principal value in u, E_k = Delta_L cosh u)."""
    assert V > dl

    def h(ek, sign):  # int_0^inf dxi_p Delta_R / (8 E_p (E_k + E_p - sign eV))
        return integrate.quad(
            lambda y: dr / (8 * np.hypot(y, dr) * (ek + np.hypot(y, dr) - sign * V)),
            0,
            np.inf,
            epsabs=1e-15,
            epsrel=1e-12,
            limit=200,
        )[0]

    u0 = np.arccosh(V / dl)
    E = lambda u: dl * np.cosh(u)  # noqa: E731

    def f_pole(u):  # regular at u0; one QAWC node may sit exactly on it
        u = u if abs(u - u0) > 1e-9 else u0 + 1e-9
        return dl * h(E(u), 1) * (u - u0) / (E(u) - V)

    pv = integrate.quad(f_pole, 0, 2 * u0, weight="cauchy", wvar=u0, epsabs=1e-14, epsrel=1e-11, limit=200)[0]
    pv += integrate.quad(lambda u: dl * h(E(u), 1) / (E(u) - V), 2 * u0, 40, epsabs=1e-14, epsrel=1e-11, limit=200)[0]
    rest = integrate.quad(lambda u: dl * h(E(u), -1) / (E(u) + V), 0, 40, epsabs=1e-14, epsrel=1e-11, limit=200)[0]
    delta = -1j * np.pi * h(V, 1) / np.sqrt(V * V - dl * dl)
    return 4 * (pv + delta - rest)


@pytest.mark.parametrize("V", [1.2, -1.5])
def test_ac_sector_amplitude_above_left_gap_matches_principal_value_quadrature(V):
    dl, dr = 1.0, 0.8
    J, Jc1, Jc2, Jb = _random_blocks(24)
    got = so.magnetization_ac(J, Jb, V, 0.0, dl, dr, cross=(Jc1, Jc2), sectors=True)
    kappa = _kappa_ac_resonant_ref(abs(V), dl, dr)
    kappa = kappa if V > 0 else -kappa.conjugate()  # real part odd, imaginary part even
    ref = kappa * _spin_trace((J @ EPS @ Jb.T + Jc1 @ EPS @ Jc2.T) @ EPS)
    assert abs(kappa.imag) > 0.1 * abs(kappa.real)
    assert np.abs(got[0] - ref).max() < 1e-8 * np.abs(ref).max()
    assert np.abs(got[1] + ref).max() < 1e-8 * np.abs(ref).max()


def test_ac_sector_amplitude_above_left_gap_at_finite_temperature_is_converged():
    k1 = so._kappa_ac_resonant(1.2, 0.3, 1.0, 0.8)
    k2 = so._kappa_ac_resonant(1.2, 0.3, 1.0, 0.8, n_outer=96, n_panel=24)
    assert abs(k1 - k2) < 1e-10 * abs(k2)
    # continuity in temperature: T = 0.02 is T = 0 up to exp(-Delta/T)
    k0 = so._kappa_ac_resonant(1.2, 0.0, 1.0, 0.8)
    assert abs(so._kappa_ac_resonant(1.2, 0.02, 1.0, 0.8) - k0) < 1e-8 * abs(k0)


@pytest.mark.parametrize("V", [0.3, 0.7])
def test_normal_left_lead_static_moment_is_the_fermi_surface_term(V):
    """Normal left lead, BCS right lead (Delta = 1), T = 0, |eV| < Delta: the closed-system
    second-order moment equals rho_L Tr[sigma Re X(0)] with X(w) = J g_R,ee(w + eV) J^dag
    the contact's self-energy at the Fermi level (g_R,ee(w) = -(1/W) w/sqrt(Delta^2 - w^2)
    in the gap).  Closed form: every state's shift integrated gives
    -|J_s|^2 rho_L rho_R pi eV/sqrt(Delta^2 - (eV)^2) per spin (docs/all_orders.md, Sec. 4).
    Units W = 1, rho = 1/pi; the module's normalisation is rho_L rho_R = 1/(2 pi)^2 per
    pair sector, hence the 1/(4 pi^2)."""
    J0 = np.array([[1.0, 0.3 + 0.2j], [-0.1j, 0.5]])
    from spintunnel.spin import PAULI

    module = np.asarray(so.magnetization_dc(J0, J0, V, 0.0, 0.0, 1.0, cross="equal")) / (4 * np.pi**2)
    X0 = J0 @ J0.conj().T * (-V / np.sqrt(1 - V**2))
    closed = np.array([np.trace(p @ X0).real for p in PAULI]) / np.pi
    assert np.abs(closed).max() > 1e-2
    assert np.abs(module - closed).max() < 1e-9 * np.abs(closed).max()
