/* hangar-job.c: long work in the engine, with progress, that can be cancelled
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A job is the state of some work another object does: that object reports progress
 * and the end; Cancel cancels the job's GCancellable, and the worker ends the job as
 * cancelled once it has undone what it wrote.
 *
 * Signals:
 *   changed: a property changed (progress at most every HANGAR_JOB_PROGRESS_INTERVAL_MS).
 *   finished: the job has just ended, whichever way.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-error.h"
#include "hangar-job.h"

struct _HangarJob
{
  GObject         parent_instance;

  char           *kind;
  char           *description;
  HangarJobState  state;
  double          progress;         /* as last announced */
  double          pending_progress; /* the newest, announced when the interval has passed */
  char           *error;
  char           *result;
  gint64          started;
  gint64          ended;
  gint64          last_announced;
  guint           progress_timeout_id;
  GCancellable   *cancellable;
};

enum {
  SIGNAL_CHANGED,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarJob, hangar_job, G_TYPE_OBJECT)

const char *
hangar_job_state_to_string (HangarJobState state)
{
  switch (state)
    {
    case HANGAR_JOB_RUNNING: return "running";
    case HANGAR_JOB_COMPLETED: return "completed";
    case HANGAR_JOB_FAILED: return "failed";
    case HANGAR_JOB_CANCELLED: return "cancelled";
    default: g_assert_not_reached ();
    }
}

static void
announce_progress (HangarJob *self)
{
  g_clear_handle_id (&self->progress_timeout_id, g_source_remove);
  if (self->progress == self->pending_progress)
    return;
  self->progress = self->pending_progress;
  self->last_announced = g_get_monotonic_time ();
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static gboolean
on_progress_timeout (gpointer user_data)
{
  HangarJob *self = user_data;

  self->progress_timeout_id = 0;
  announce_progress (self);
  return G_SOURCE_REMOVE;
}

/**
 * hangar_job_set_progress:
 * @progress: 0 to 1
 *
 * Takes the newest progress; listeners hear of it at most every 100 ms.
 */
void
hangar_job_set_progress (HangarJob *self,
                         double     progress)
{
  gint64 since;

  g_return_if_fail (HANGAR_IS_JOB (self));

  if (self->state != HANGAR_JOB_RUNNING)
    return;
  self->pending_progress = CLAMP (progress, 0.0, 1.0);
  if (self->progress_timeout_id != 0)
    return;
  since = (g_get_monotonic_time () - self->last_announced) / 1000;
  if (since >= HANGAR_JOB_PROGRESS_INTERVAL_MS)
    announce_progress (self);
  else
    self->progress_timeout_id = g_timeout_add (HANGAR_JOB_PROGRESS_INTERVAL_MS - since,
                                               on_progress_timeout, self);
}

static void
finish (HangarJob      *self,
        HangarJobState  state)
{
  g_assert (self->state == HANGAR_JOB_RUNNING);

  g_clear_handle_id (&self->progress_timeout_id, g_source_remove);
  self->state = state;
  self->ended = g_get_monotonic_time ();
  if (state == HANGAR_JOB_COMPLETED)
    self->progress = self->pending_progress = 1.0;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

void
hangar_job_complete (HangarJob  *self,
                     const char *result)
{
  g_return_if_fail (HANGAR_IS_JOB (self));

  g_free (self->result);
  self->result = g_strdup (result ? result : "");
  finish (self, HANGAR_JOB_COMPLETED);
}

void
hangar_job_fail (HangarJob  *self,
                 const char *message)
{
  g_return_if_fail (HANGAR_IS_JOB (self));

  g_free (self->error);
  self->error = g_strdup (message);
  finish (self, HANGAR_JOB_FAILED);
}

/* The worker has stopped on Cancel and removed what it wrote. */
void
hangar_job_mark_cancelled (HangarJob *self)
{
  g_return_if_fail (HANGAR_IS_JOB (self));

  finish (self, HANGAR_JOB_CANCELLED);
}

/* Asks the worker to stop; the job ends as cancelled once it has. */
gboolean
hangar_job_cancel (HangarJob  *self,
                   GError    **error)
{
  g_return_val_if_fail (HANGAR_IS_JOB (self), FALSE);

  if (self->state != HANGAR_JOB_RUNNING)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                   _("“%s” has ended already (%s)."), self->description,
                   hangar_job_state_to_string (self->state));
      return FALSE;
    }
  g_cancellable_cancel (self->cancellable);
  return TRUE;
}

/* ---- accessors ---------------------------------------------------------------- */

const char *
hangar_job_get_kind (HangarJob *self)
{
  g_return_val_if_fail (HANGAR_IS_JOB (self), NULL);
  return self->kind;
}

const char *
hangar_job_get_description (HangarJob *self)
{
  g_return_val_if_fail (HANGAR_IS_JOB (self), NULL);
  return self->description;
}

HangarJobState
hangar_job_get_state (HangarJob *self)
{
  g_return_val_if_fail (HANGAR_IS_JOB (self), HANGAR_JOB_FAILED);
  return self->state;
}

double
hangar_job_get_progress (HangarJob *self)
{
  g_return_val_if_fail (HANGAR_IS_JOB (self), 0.0);
  return self->progress;
}

const char *
hangar_job_get_error (HangarJob *self)
{
  g_return_val_if_fail (HANGAR_IS_JOB (self), NULL);
  return self->error ? self->error : "";
}

const char *
hangar_job_get_result (HangarJob *self)
{
  g_return_val_if_fail (HANGAR_IS_JOB (self), NULL);
  return self->result ? self->result : "";
}

/* Microseconds from start to end, or to now while it runs. */
gint64
hangar_job_get_duration (HangarJob *self)
{
  g_return_val_if_fail (HANGAR_IS_JOB (self), 0);
  return (self->ended ? self->ended : g_get_monotonic_time ()) - self->started;
}

GCancellable *
hangar_job_get_cancellable (HangarJob *self)
{
  g_return_val_if_fail (HANGAR_IS_JOB (self), NULL);
  return self->cancellable;
}

/* ---- object ------------------------------------------------------------------- */

static void
hangar_job_finalize (GObject *object)
{
  HangarJob *self = HANGAR_JOB (object);

  g_clear_handle_id (&self->progress_timeout_id, g_source_remove);
  g_clear_object (&self->cancellable);
  g_free (self->kind);
  g_free (self->description);
  g_free (self->error);
  g_free (self->result);
  G_OBJECT_CLASS (hangar_job_parent_class)->finalize (object);
}

static void
hangar_job_class_init (HangarJobClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hangar_job_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hangar_job_init (HangarJob *self)
{
  self->state = HANGAR_JOB_RUNNING;
  self->cancellable = g_cancellable_new ();
  self->started = g_get_monotonic_time ();
}

HangarJob *
hangar_job_new (const char *kind,
                const char *description)
{
  HangarJob *self = g_object_new (HANGAR_TYPE_JOB, NULL);

  self->kind = g_strdup (kind);
  self->description = g_strdup (description);
  return self;
}
