//! Rebuilds the binary when a file of the built-in theme is added or changed:
//! `templates/` and `static/` are embedded in it.

fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=static");
}
