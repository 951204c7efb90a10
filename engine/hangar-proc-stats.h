/* hangar-proc-stats.h: what /proc says of a QEMU process and of the host
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 total_ticks;  /* user + system time of the whole process, clock ticks */
  guint64 vcpu_ticks;   /* of its vCPU threads ("CPU 0/TCG", "CPU 1/KVM", ...) */
  guint64 rss_bytes;
} HangarProcessSample;

typedef struct
{
  guint64 busy_ticks;   /* all CPUs: everything but idle and iowait */
  guint64 total_ticks;
  guint64 memory_total;
  guint64 memory_available;
  double  load;         /* 1-minute load average */
} HangarHostSample;

/* Thread ids of a QEMU's vCPUs, found once and kept: reading every thread each tick
 * would cost more than the rest of a sample. */
typedef struct
{
  GPid    pid;
  GArray *tids;         /* GPid */
  gint64  found_us;     /* when the list was made (monotonic) */
} HangarVcpuThreads;

void     hangar_vcpu_threads_clear (HangarVcpuThreads   *threads);
gboolean hangar_proc_read_qemu     (GPid                 pid,
                                    HangarVcpuThreads   *threads,
                                    HangarProcessSample *out);
gboolean hangar_proc_read_host     (HangarHostSample    *out);

G_END_DECLS
