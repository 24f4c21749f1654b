use std::process::ExitCode;

use clap::Parser;

use wavetop::cli::Cli;
use wavetop::{app, errln, output};

fn main() -> ExitCode {
    // clap reports bad flags itself, naming the flag, with exit status 2.
    let cli = Cli::parse();
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
