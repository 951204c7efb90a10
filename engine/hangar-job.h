/* hangar-job.h: long work in the engine, with progress, that can be cancelled
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  HANGAR_JOB_RUNNING,
  HANGAR_JOB_COMPLETED,
  HANGAR_JOB_FAILED,
  HANGAR_JOB_CANCELLED,
} HangarJobState;

/* How often Progress may change, at most. */
#define HANGAR_JOB_PROGRESS_INTERVAL_MS 100

#define HANGAR_TYPE_JOB (hangar_job_get_type ())
G_DECLARE_FINAL_TYPE (HangarJob, hangar_job, HANGAR, JOB, GObject)

HangarJob      *hangar_job_new             (const char     *kind,
                                            const char     *description);
const char     *hangar_job_get_kind        (HangarJob      *self);
const char     *hangar_job_get_description (HangarJob      *self);
HangarJobState  hangar_job_get_state       (HangarJob      *self);
const char     *hangar_job_state_to_string (HangarJobState  state);
double          hangar_job_get_progress    (HangarJob      *self);
const char     *hangar_job_get_error       (HangarJob      *self);
const char     *hangar_job_get_result      (HangarJob      *self);
gint64          hangar_job_get_duration    (HangarJob      *self);
GCancellable   *hangar_job_get_cancellable (HangarJob      *self);

void            hangar_job_set_progress    (HangarJob      *self,
                                            double          progress);
void            hangar_job_complete        (HangarJob      *self,
                                            const char     *result);
void            hangar_job_fail            (HangarJob      *self,
                                            const char     *message);
void            hangar_job_mark_cancelled  (HangarJob      *self);
gboolean        hangar_job_cancel          (HangarJob      *self,
                                            GError        **error);

G_END_DECLS
