//! MPI (the `mpi` feature): under `mpirun -n P`, rank 0 runs the job as on one machine —
//! work folder, resumed members, output folder — except that it hands the members still to
//! run to ranks 1 … P-1 one at a time, as each asks for work, so members of very different
//! lengths never leave a rank idle. Each result comes back to rank 0, which saves it in the
//! work folder as it arrives (a job killed part-way resumes from there, on any number of
//! ranks or on one machine) and puts it in its place in member order, so the outputs are
//! the same bytes as a one-machine run's.
//!
//! The other ranks read the same arguments, build the same scenarios and members, and only
//! run what they are sent ([`serve`]); they write nothing.

use mpi::environment::Universe;
use mpi::point_to_point::{Destination, Source, Status};
use mpi::topology::{Communicator, SimpleCommunicator};

use crate::error::EnsembleError;
use crate::member::{run_member, Keep, Member};
use crate::Unit;
use outbreak_scenario::Scenario;

/// A worker asks for work.
const READY: i32 = 1;
/// A worker returns a member (its JSON).
const RESULT: i32 = 2;
/// Rank 0 sends a unit to run (its number in the job).
const WORK: i32 = 3;
/// Rank 0 has no more work.
const STOP: i32 = 4;
/// A worker could not run its unit (the reason, as text).
const FAILED: i32 = 5;

/// This process's part in an MPI job; MPI is finalised when it is dropped.
pub struct Cluster {
    _universe: Universe,
}

impl Cluster {
    /// Joins the MPI job this process was started in (a job of one when not under
    /// `mpirun`); `None` if MPI was already initialised.
    pub fn join() -> Option<Cluster> {
        mpi::initialize().map(|u| Cluster { _universe: u })
    }

    /// This process's rank (0 writes the results).
    pub fn rank(&self) -> i32 {
        SimpleCommunicator::world().rank()
    }

    /// The processes of the job.
    pub fn size(&self) -> i32 {
        SimpleCommunicator::world().size()
    }
}

/// The world of a job of more than one process, once joined.
pub(crate) fn world() -> Option<SimpleCommunicator> {
    if !mpi::environment::is_initialized() || mpi::environment::is_finalized() {
        return None;
    }
    let w = SimpleCommunicator::world();
    (w.size() > 1).then_some(w)
}

/// Whether this process is a worker of a job of several (a rank other than 0).
pub fn is_worker() -> bool {
    world().is_some_and(|w| w.rank() != 0)
}

/// On rank 0: hands out `pending` (indices into `units`) to the workers and gathers what
/// they return, saving each member with `save` as it arrives. Returns the members in the
/// order of `pending`.
pub(crate) fn hand_out(
    world: &SimpleCommunicator,
    units: &[Unit],
    pending: &[usize],
    save: &dyn Fn(&Member) -> Result<(), EnsembleError>,
) -> Result<Vec<Member>, EnsembleError> {
    let mut members: Vec<Option<Member>> = vec![None; pending.len()];
    let mut slot_of = std::collections::HashMap::new();
    let mut next = 0;
    let mut working = world.size() - 1;
    let mut failed: Option<EnsembleError> = None;
    while working > 0 {
        let (bytes, status): (Vec<u8>, Status) = world.any_process().receive_vec();
        let from = world.process_at_rank(status.source_rank());
        match status.tag() {
            RESULT => {
                let m: Member = serde_json::from_slice(&bytes).map_err(|e| {
                    EnsembleError::Bad(format!(
                        "rank {} sent a member that does not read back: {e}",
                        status.source_rank()
                    ))
                })?;
                if let Some(&slot) = slot_of.get(&m.unit) {
                    if failed.is_none() {
                        if let Err(e) = save(&m) {
                            failed = Some(e);
                        }
                    }
                    members[slot] = Some(m);
                }
            }
            FAILED => {
                failed.get_or_insert(EnsembleError::Bad(format!(
                    "rank {}: {}",
                    status.source_rank(),
                    String::from_utf8_lossy(&bytes)
                )));
            }
            _ => {}
        }
        // Every message of a worker gets one answer: more work, or the end.
        if next < pending.len() && failed.is_none() {
            let i = pending[next];
            slot_of.insert(units[i].unit, next);
            from.send_with_tag(&[units[i].unit][..], WORK);
            next += 1;
        } else {
            from.send_with_tag(&[0u32; 0][..], STOP);
            working -= 1;
        }
    }
    if let Some(e) = failed {
        return Err(e);
    }
    let members: Vec<Member> = members.into_iter().flatten().collect();
    if members.len() != pending.len() {
        return Err(EnsembleError::Bad(format!(
            "{} of {} members came back from the other ranks",
            members.len(),
            pending.len()
        )));
    }
    Ok(members)
}

/// On a worker: runs the units rank 0 sends (by number, from all the job's `units`, in
/// order) until it says stop.
pub fn serve(scenarios: &[Scenario], units: &[Unit], keep: Keep) -> Result<(), EnsembleError> {
    let Some(world) = world() else {
        return Ok(());
    };
    let root = world.process_at_rank(0);
    root.send_with_tag(&[0u8; 0][..], READY);
    loop {
        let (work, status): (Vec<u32>, Status) = root.receive_vec();
        if status.tag() != WORK {
            return Ok(());
        }
        let unit = work.first().and_then(|&n| {
            let i = units.binary_search_by_key(&n, |u| u.unit).ok()?;
            units.get(i)
        });
        let Some(u) = unit else {
            root.send_with_tag(b"a unit that does not exist".as_slice(), FAILED);
            continue;
        };
        let member = run_member(&scenarios[u.point as usize], u.unit, u.seed, keep)
            .map_err(|e| e.to_string())
            .and_then(|m| serde_json::to_vec(&m).map_err(|e| e.to_string()));
        match member {
            Ok(bytes) => root.send_with_tag(&bytes[..], RESULT),
            Err(e) => root.send_with_tag(e.as_bytes(), FAILED),
        }
    }
}
