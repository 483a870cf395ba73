//! [`ScriptScreen`]: the kit's `Screen` played by a script. The script's functions are the
//! contract's: `init(size, options)` (first layout; also on a resize when there is no `resize`),
//! `update(dt)`, `draw(canvas)`, `resize(size)`; its state lives in `this` (a map kept between
//! calls). Every call runs within the budgets of [`super::limits`]; the first error or stop
//! ends the script: the screen then shows the one-line reason (`FILE:LINE:COLUMN: message`),
//! keys still end the saver, and a rotation moves on ([`Screen::stopped`]).

use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::time::Instant;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rhai::{AST, CallFnOptions, Dynamic, Engine, FuncArgs, Scope};

use super::api::{self, ScriptCanvas, World};
use super::header::{Header, Value};
use super::limits::{self, Deadline};
use super::watch::Watch;
use super::{Script, contract};
use crate::saver::kit::buffer::{Color, Style};
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::screen::{Ctx, Screen, Size, Theme};

/// A screen played by a script.
pub struct ScriptScreen {
    script: Script,
    engine: Engine,
    ast: AST,
    world: Rc<RefCell<World>>,
    deadline: Deadline,
    /// The script's `this`.
    state: RefCell<Dynamic>,
    /// The options' values (given or default), as the script's `init` receives them.
    options: Vec<(String, Value)>,
    size: Option<Size>,
    /// Why the script was stopped, one clean line.
    error: RefCell<Option<String>>,
    watch: Option<Watch>,
    /// The wall-clock budget of a call: [`limits::CALL_BUDGET`], or in headless runs and
    /// recordings ([`Screen::settle`] with `wait`), whose output must not depend on the
    /// machine's speed, [`limits::HEADLESS_CALL_BUDGET`].
    budget: std::time::Duration,
    /// The time between frames the header asks for.
    interval: std::time::Duration,
}

impl ScriptScreen {
    /// The screen for `script` with its options' values; `watch` reloads it when its file
    /// changes.
    ///
    /// # Errors
    /// The script does not compile or breaks the contract (`FILE:LINE:COLUMN: message`).
    pub fn new(
        script: Script,
        header: &Header,
        options: Vec<(String, Value)>,
        watch: bool,
    ) -> anyhow::Result<ScriptScreen> {
        let world = Rc::new(RefCell::new(World {
            rng: StdRng::seed_from_u64(0),
            elapsed: 0.0,
            now: chrono::NaiveDateTime::default(),
        }));
        let deadline: Deadline = Rc::new(std::cell::Cell::new(None));
        let mut engine = api::engine(&world);
        limits::apply(&mut engine, Some(Rc::clone(&deadline)));
        let ast = compile(&engine, &script).map_err(|e| anyhow::anyhow!(e))?;
        let watch = match (&script.path, watch) {
            (Some(path), true) => Some(Watch::start(path.clone())),
            (None, true) => anyhow::bail!(
                "{}: bundled; --watch needs a script file in your screens folder (start one with \
                 `fun saver new NAME`)",
                script.file
            ),
            _ => None,
        };
        Ok(ScriptScreen {
            script,
            engine,
            ast,
            world,
            deadline,
            state: RefCell::new(Dynamic::from_map(rhai::Map::new())),
            options,
            size: None,
            error: RefCell::new(None),
            watch,
            budget: limits::CALL_BUDGET,
            interval: std::time::Duration::from_secs_f64(1.0 / header.fps),
        })
    }

    /// Calls the script's `name` if it defines it; the first error stops the script.
    fn call(&self, name: &str, args: impl FuncArgs) {
        if self.error.borrow().is_some() || !defines(&self.ast, name) {
            return;
        }
        self.deadline.set(Some(Instant::now() + self.budget));
        let mut state = self.state.borrow_mut();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let options = CallFnOptions::new().eval_ast(false).bind_this_ptr(&mut state);
            self.engine.call_fn_with_options::<Dynamic>(
                options,
                &mut Scope::new(),
                &self.ast,
                name,
                args,
            )
        }));
        self.deadline.set(None);
        let why = match outcome {
            Ok(Ok(_)) => match limits::check_state(&state) {
                Ok(()) => return,
                Err(why) => limits::line(&format!("{}: {why}", self.script.file)),
            },
            Ok(Err(err)) => limits::describe(&self.script.file, &err),
            Err(_) => format!("{}: the script engine failed in {name}", self.script.file),
        };
        *self.error.borrow_mut() = Some(why);
    }

    fn init(&mut self, size: Size) {
        *self.state.borrow_mut() = Dynamic::from_map(rhai::Map::new());
        let options: rhai::Map =
            self.options.iter().map(|(k, v)| (k.as_str().into(), dynamic(v))).collect();
        self.call("init", (size_map(size), options));
    }

    /// Loads the script's file again after a change (`--watch`): a broken edit shows its error,
    /// the next good one starts afresh with the new text.
    fn reload(&mut self) {
        let Some(path) = self.script.path.clone() else { return };
        let result = super::read_script(&path).and_then(|script| {
            let header = super::header::parse(&script.text)
                .map_err(|e| limits::line(&format!("{}:{}: {}", script.file, e.line, e.message)))?;
            let ast = compile(&self.engine, &script)?;
            Ok((script, header, ast))
        });
        match result {
            Ok((script, header, ast)) => {
                self.options = merged(&header, &self.options);
                self.interval = std::time::Duration::from_secs_f64(1.0 / header.fps);
                self.script = script;
                self.ast = ast;
                *self.error.borrow_mut() = None;
                if let Some(size) = self.size {
                    self.init(size);
                }
            }
            Err(why) => *self.error.borrow_mut() = Some(why),
        }
    }

    fn draw_error(&self, buf: &mut Canvas<'_>, why: &str) {
        let y = buf.height() / 2;
        let style = Style::fg(Color::Rgb(255, 96, 96));
        buf.put_str(0, y, why, style);
    }
}

/// The options of a reloaded script: the values in use for the options it still declares,
/// the new defaults for the others.
fn merged(header: &Header, old: &[(String, Value)]) -> Vec<(String, Value)> {
    let old_value = |name: &str| old.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    header
        .options
        .iter()
        .map(|def| (def.name.clone(), old_value(&def.name).unwrap_or_else(|| def.default.clone())))
        .collect()
}

/// Compiles `script` and checks its functions against the contract.
fn compile(engine: &Engine, script: &Script) -> Result<AST, String> {
    let ast = engine.compile(&script.text).map_err(|e| limits::describe_parse(&script.file, &e))?;
    contract(&ast).map_err(|why| limits::line(&format!("{}: {why}", script.file)))?;
    Ok(ast)
}

fn defines(ast: &AST, name: &str) -> bool {
    ast.iter_functions().any(|f| f.name == name)
}

fn size_map(size: Size) -> rhai::Map {
    let mut map = rhai::Map::new();
    map.insert("width".into(), Dynamic::from_int(i64::from(size.width)));
    map.insert("height".into(), Dynamic::from_int(i64::from(size.height)));
    map
}

fn dynamic(value: &Value) -> Dynamic {
    match value {
        Value::Int(n) => Dynamic::from_int(*n),
        Value::Float(x) => Dynamic::from_float(*x),
        Value::Text(t) => Dynamic::from(t.clone()),
        Value::Flag(b) => Dynamic::from_bool(*b),
    }
}

impl Screen for ScriptScreen {
    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        let first = self.size.is_none();
        self.size = Some(size);
        if first {
            self.world.borrow_mut().rng = StdRng::from_rng(rng);
            self.init(size);
        } else if defines(&self.ast, "resize") {
            self.call("resize", (size_map(size),));
        } else {
            self.init(size);
        }
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        if self.watch.as_ref().is_some_and(Watch::changed) {
            self.reload();
        }
        {
            let mut world = self.world.borrow_mut();
            world.elapsed = ctx.elapsed.as_secs_f64();
            world.now = ctx.now;
        }
        self.call("update", (ctx.dt.as_secs_f64(),));
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        if self.error.borrow().is_none() {
            let canvas = ScriptCanvas::new(buf.width(), buf.height(), *theme);
            self.call("draw", (canvas.clone(),));
            if self.error.borrow().is_none() {
                canvas.replay(buf);
                return;
            }
        }
        if let Some(why) = self.error.borrow().as_deref() {
            self.draw_error(buf, why);
        }
    }

    fn frame_interval(&self) -> std::time::Duration {
        self.interval
    }

    fn settle(&mut self, wait: bool) -> anyhow::Result<()> {
        if wait {
            self.budget = limits::HEADLESS_CALL_BUDGET;
        }
        Ok(())
    }

    fn stopped(&self) -> bool {
        self.error.borrow().is_some()
    }
}
