/* hangar-job-impl.h: io.github.hangarvm.Hangar.Job1
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-dbus.h"
#include "hangar-job.h"

G_BEGIN_DECLS

#define HANGAR_TYPE_JOB_IMPL (hangar_job_impl_get_type ())
G_DECLARE_FINAL_TYPE (HangarJobImpl, hangar_job_impl, HANGAR, JOB_IMPL, HangarDBusJob1Skeleton)

HangarJobImpl *hangar_job_impl_new (HangarJob *job);

G_END_DECLS
