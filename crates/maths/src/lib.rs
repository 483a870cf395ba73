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
}
