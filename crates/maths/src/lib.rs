//! The C maths functions that fun's code and its crates call (`f64::sin` in Rust is a call to
//! the C `sin`), defined here under their C names from the pure-Rust `libm` crate.
//!
//! Why: libm.so was the one library fun loaded only for these ~20 functions, and loading it
//! cost every run of `fun` a fourth shared object to map and relocate and about 350 KB of
//! resident memory (its code comes in 64 KiB windows around each function used). With these
//! definitions in the executable the linker resolves every call here, `--as-needed` drops
//! libm.so from the needed list, and a screen that calls `sin` costs only the pages of `sin`.
//! The results are musl's: within an ulp of glibc's, the same on every machine.
//!
//! The list must name every maths symbol the binary would otherwise import (the debug and the
//! release build each call a few the other inlines): `.ci/checks/footprint.sh` fails, naming
//! them, when the binary needs libm.so again.

macro_rules! c_maths {
    ($($name:ident($($arg:ident: $ty:ty),+) -> $ret:ty;)+) => {$(
        #[doc = concat!("C `", stringify!($name), "`, from `libm::", stringify!($name), "`.")]
        #[unsafe(no_mangle)]
        pub extern "C" fn $name($($arg: $ty),+) -> $ret {
            libm::$name($($arg),+)
        }
    )+};
}

c_maths! {
    acos(x: f64) -> f64;
    asin(x: f64) -> f64;
    atan(x: f64) -> f64;
    atan2(y: f64, x: f64) -> f64;
    cos(x: f64) -> f64;
    cosf(x: f32) -> f32;
    cosh(x: f64) -> f64;
    exp(x: f64) -> f64;
    expf(x: f32) -> f32;
    hypot(x: f64, y: f64) -> f64;
    hypotf(x: f32, y: f32) -> f32;
    log(x: f64) -> f64;
    log10(x: f64) -> f64;
    log1p(x: f64) -> f64;
    pow(x: f64, y: f64) -> f64;
    powf(x: f32, y: f32) -> f32;
    sin(x: f64) -> f64;
    sinf(x: f32) -> f32;
    sinh(x: f64) -> f64;
    tan(x: f64) -> f64;
    tanh(x: f64) -> f64;
}

/// C `sincosf`: both at once, through out-pointers as in C.
///
/// # Safety
/// `s` and `c` must be valid for writes, as every C caller guarantees.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sincosf(x: f32, s: *mut f32, c: *mut f32) {
    let (sin, cos) = libm::sincosf(x);
    // SAFETY: the caller passes two writable f32 pointers (the C contract of sincosf).
    unsafe {
        s.write(sin);
        c.write(cos);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_functions_agree_with_the_standard_library_to_an_ulp() {
        let close = |a: f64, b: f64| (a - b).abs() <= f64::EPSILON * b.abs().max(1.0) * 2.0;
        for i in -50..50 {
            let x = f64::from(i) * 0.37;
            assert!(close(super::sin(x), libm::sin(x)));
            assert!(close(super::atan2(x, 1.5), libm::atan2(x, 1.5)));
            assert!(close(super::pow(1.1, x), libm::pow(1.1, x)));
        }
        let (mut s, mut c) = (0.0f32, 0.0f32);
        // SAFETY: two local f32s.
        unsafe { super::sincosf(0.5, &mut s, &mut c) };
        assert!((s - 0.5f32.sin()).abs() < 1e-6 && (c - 0.5f32.cos()).abs() < 1e-6);
    }

    /// Through the C names as every caller reaches them (std's `f64::sin` is a call to the C
    /// `sin`, which the linker resolves to this crate's definition): known values of each
    /// function, so a definition that computed something else, or a caller that no longer
    /// reached one, would show.
    #[test]
    fn the_c_names_give_the_known_values() {
        use std::f64::consts::{E, FRAC_PI_2, FRAC_PI_4, FRAC_PI_6};
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
        let near32 = |a: f32, b: f32| (a - b).abs() <= 1e-5 * b.abs().max(1.0);
        let f64s: [(&str, f64, f64); 16] = [
            ("sin", FRAC_PI_6.sin(), 0.5),
            ("cos", (2.0 * FRAC_PI_6).cos(), 0.5),
            ("tan", FRAC_PI_4.tan(), 1.0),
            ("asin", 1.0_f64.asin(), FRAC_PI_2),
            ("acos", 0.0_f64.acos(), FRAC_PI_2),
            ("atan", 1.0_f64.atan(), FRAC_PI_4),
            ("atan2", 1.0_f64.atan2(1.0), FRAC_PI_4),
            ("sinh", 1.0_f64.sinh(), (E - 1.0 / E) / 2.0),
            ("cosh", 1.0_f64.cosh(), (E + 1.0 / E) / 2.0),
            ("tanh", 1.0_f64.tanh(), (E * E - 1.0) / (E * E + 1.0)),
            ("exp", 1.0_f64.exp(), E),
            ("log", E.ln(), 1.0),
            ("log10", 1000.0_f64.log10(), 3.0),
            ("log1p", (E - 1.0).ln_1p(), 1.0),
            ("pow", 2.0_f64.powf(10.0), 1024.0),
            ("hypot", 3.0_f64.hypot(4.0), 5.0),
        ];
        for (name, got, want) in f64s {
            assert!(near(got, want), "{name}: {got} != {want}");
        }
        let f32s: [(&str, f32, f32); 5] = [
            ("sinf", std::f32::consts::FRAC_PI_6.sin(), 0.5),
            ("cosf", 0.0_f32.cos(), 1.0),
            ("expf", 0.0_f32.exp(), 1.0),
            ("powf", 3.0_f32.powf(2.0), 9.0),
            ("hypotf", 5.0_f32.hypot(12.0), 13.0),
        ];
        for (name, got, want) in f32s {
            assert!(near32(got, want), "{name}: {got} != {want}");
        }
    }
}
