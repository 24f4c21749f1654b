use std::process::ExitCode;

use clap::Parser;

use wavetop::cli::Cli;
use wavetop::{app, errln, outln, output};

fn main() -> ExitCode {
    wavetop::runtime::malloc::share_one_arena();
    // A bad flag is named with exit status 2; clap's message echoes the
    // value given, so it goes out through the same escaping as every error.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let text = wavetop::cli::usage::report(&e);
            if e.use_stderr() {
                errln!("{text}");
            } else {
                outln!("{text}");
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    if let Err(e) = color_eyre::install() {
        errln!("wavetop: {e}");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            errln!("wavetop: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let code = match runtime.block_on(app::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            errln!("wavetop: {e:#}");
            ExitCode::from(1)
        }
    };
    // Output lost to anything but a reader that left is not a success.
    if output::write_failed() && code == ExitCode::SUCCESS {
        return ExitCode::from(1);
    }
    code
}
