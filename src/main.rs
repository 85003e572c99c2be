fn main() -> std::process::ExitCode {
    permstat::cli::main()
}
