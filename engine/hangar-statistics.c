/* hangar-statistics.c: sampling every running machine at one interval
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One timer for all machines and one batched "sample" signal per tick, never one per
 * machine: a client drawing a thousand rows gets one message a second, not a thousand.
 *
 * A tick has two halves. First, /proc for every running QEMU (its vCPU threads' CPU
 * time, the rest of its CPU time, its resident memory) and for the host: always, while
 * any machine runs, so the history has the last hour. Then, only while a client is
 * subscribed, QEMU itself: every machine's query-blockstats is sent at once (the balloon
 * is not asked: QEMU's BALLOON_CHANGE events keep the machine's figure current), and every fifth tick the guest agent is asked for
 * its NICs' counters (its answer, whenever it comes, stands until the next one). The
 * tick ends when the last QMP reply is in or half an interval has passed, whichever is
 * first; then the history grows by one row per machine and the
 * signal goes out. With no machine running and nobody subscribed there is no timer.
 *
 * Signals:
 *   sample (gint64 timestamp_us, GVariant *host, GVariant *samples): host is a{sv},
 *   samples a(sa{sv}); see the Host1.Statistics signal in
 *   data/io.github.hangarvm.Hangar.Engine.xml.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-guest-agent.h"
#include "hangar-machine.h"
#include "hangar-paths.h"
#include "hangar-proc-stats.h"
#include "hangar-qemu-argv.h"
#include "hangar-statistics.h"
#include "hangar-stats-history.h"

/* The guest agent is a connection and two round trips: asked every this many ticks. */
#define AGENT_EVERY_TICKS 5

static const char * const machine_columns[] = {
  "cpu", "cpu-overhead", "memory-rss", "memory-guest",
  "disk-read", "disk-write", "net-rx", "net-tx", NULL
};
enum { COL_CPU, COL_OVERHEAD, COL_RSS, COL_GUEST, COL_DISK_READ, COL_DISK_WRITE,
       COL_NET_RX, COL_NET_TX, N_MACHINE_COLUMNS };

static const char * const host_columns[] = {
  "cpu", "memory-used", "load", "machines-cpu", "machines-memory", NULL
};
enum { HOST_CPU, HOST_MEMORY, HOST_LOAD, HOST_MACHINES_CPU, HOST_MACHINES_MEMORY,
       N_HOST_COLUMNS };

typedef struct
{
  GPid                pid;
  HangarVcpuThreads   threads;
  HangarProcessSample previous;
  gint64              previous_us;
  gboolean            have_previous;
  guint64             disk_bytes[2];   /* read, written: the last counters seen */
  gint64              disk_us;
  guint64             net_bytes[2];    /* received, sent */
  gint64              net_us;
  HangarStatsHistory *history;
  guint               agent_countdown;
  gboolean            agent_busy;      /* a guest agent query is out */
  /* The agent's last answer, kept between its queries; its rates are held as well. */
  GVariant           *nics;            /* a(stt) */
  char               *nics_unavailable;
  gboolean            nics_fresh;      /* came since the last row */
  double              net_rate[2];

  /* This tick's values. */
  gboolean            sampled;
  double              row[N_MACHINE_COLUMNS];
  GVariant           *disks;           /* a(stttt) */
} MachineStats;

typedef struct
{
  HangarStatistics *owner;   /* NULL once the tick was finished without us */
  guint             pending;
} Tick;

struct _HangarStatistics
{
  GObject             parent_instance;

  GPtrArray          *machines;      /* owned by the engine; HangarMachine */
  GHashTable         *stats;         /* uuid → MachineStats */
  HangarStatsHistory *host_history;
  HangarHostSample    host_previous;
  gboolean            have_host_previous;
  guint               interval_ms;
  guint               timeout_id;
  guint               deadline_id;
  GHashTable         *subscribers;   /* name → count */
  Tick               *tick;          /* the tick waiting for replies, or NULL */
  gint64              tick_time;     /* its CLOCK_REALTIME */
  double              host_row[N_HOST_COLUMNS];
  long                ticks_per_second;
};

enum {
  SIGNAL_SAMPLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarStatistics, hangar_statistics, G_TYPE_OBJECT)

static guint
history_capacity (HangarStatistics *self)
{
  return HANGAR_STATS_HISTORY_SECONDS * 1000 / self->interval_ms;
}

static void
machine_stats_clear_tick (MachineStats *m)
{
  m->sampled = FALSE;
  g_clear_pointer (&m->disks, g_variant_unref);
}

static void
machine_stats_free (gpointer data)
{
  MachineStats *m = data;

  machine_stats_clear_tick (m);
  g_clear_pointer (&m->nics, g_variant_unref);
  g_clear_pointer (&m->nics_unavailable, g_free);
  hangar_vcpu_threads_clear (&m->threads);
  hangar_stats_history_free (m->history);
  g_free (m);
}

static MachineStats *
lookup_stats (HangarStatistics *self,
              const char       *uuid)
{
  MachineStats *m = g_hash_table_lookup (self->stats, uuid);

  if (m == NULL)
    {
      m = g_new0 (MachineStats, 1);
      m->net_rate[0] = m->net_rate[1] = NAN;
      m->history = hangar_stats_history_new (machine_columns, history_capacity (self));
      g_hash_table_insert (self->stats, g_strdup (uuid), m);
    }
  return m;
}

static gboolean
any_running (HangarStatistics *self)
{
  for (guint i = 0; i < self->machines->len; i++)
    if (hangar_machine_get_pid (g_ptr_array_index (self->machines, i)) > 0)
      return TRUE;
  return FALSE;
}

static gboolean
subscribed (HangarStatistics *self)
{
  return g_hash_table_size (self->subscribers) > 0;
}

/* ---- the /proc half ------------------------------------------------------------ */

static void
sample_host (HangarStatistics *self)
{
  HangarHostSample now;

  for (guint c = 0; c < N_HOST_COLUMNS; c++)
    self->host_row[c] = NAN;
  if (!hangar_proc_read_host (&now))
    return;
  if (self->have_host_previous && now.total_ticks > self->host_previous.total_ticks)
    self->host_row[HOST_CPU] = 100.0 * (now.busy_ticks - self->host_previous.busy_ticks) /
                               (now.total_ticks - self->host_previous.total_ticks);
  self->host_row[HOST_MEMORY] = now.memory_total - now.memory_available;
  self->host_row[HOST_LOAD] = now.load;
  self->host_previous = now;
  self->have_host_previous = TRUE;
}

static void
sample_machine (HangarStatistics *self,
                MachineStats     *m,
                GPid              pid,
                gint64            now_us)
{
  HangarProcessSample now;

  if (!hangar_proc_read_qemu (pid, &m->threads, &now))
    return;
  for (guint c = 0; c < N_MACHINE_COLUMNS; c++)
    m->row[c] = NAN;
  if (m->pid != pid || !m->have_previous || now.total_ticks < m->previous.total_ticks)
    {
      /* A new QEMU: counters start again, rates from the next tick. */
      m->pid = pid;
      m->have_previous = FALSE;
      m->disk_us = m->net_us = 0;
      m->net_rate[0] = m->net_rate[1] = NAN;
      g_clear_pointer (&m->nics, g_variant_unref);
    }
  else if (now_us > m->previous_us)
    {
      double seconds = (double) (now_us - m->previous_us) / G_USEC_PER_SEC;
      double vcpu = (double) (now.vcpu_ticks - MIN (now.vcpu_ticks, m->previous.vcpu_ticks));
      double total = (double) (now.total_ticks - m->previous.total_ticks);

      m->row[COL_CPU] = 100.0 * vcpu / self->ticks_per_second / seconds;
      m->row[COL_OVERHEAD] = 100.0 * MAX (total - vcpu, 0.0) / self->ticks_per_second / seconds;
      m->sampled = TRUE;
    }
  m->row[COL_RSS] = now.rss_bytes;
  m->previous = now;
  m->previous_us = now_us;
  m->have_previous = TRUE;
}

/* ---- the QEMU half ---------------------------------------------------------------- */

typedef struct
{
  Tick          *tick;
  char          *uuid;
  HangarMachine *machine;
} Ask;

static void finish_tick (HangarStatistics *self);

static void
ask_free (Ask *ask)
{
  g_free (ask->uuid);
  g_object_unref (ask->machine);
  g_free (ask);
}

/* One reply in. Returns the stats to fill, or NULL when the tick ended without it. */
static MachineStats *
answer_arrived (Ask *ask)
{
  Tick *tick = ask->tick;

  tick->pending--;
  return tick->owner ? g_hash_table_lookup (tick->owner->stats, ask->uuid) : NULL;
}

/* After the reply is taken: the last one ends the tick, or frees an abandoned one. */
static void
answer_done (Ask *ask)
{
  Tick *tick = ask->tick;

  if (tick->owner == NULL)
    {
      if (tick->pending == 0)
        g_free (tick);
    }
  else if (tick->pending == 0)
    finish_tick (tick->owner);
  ask_free (ask);
}

static char *
disk_target_for (HangarMachine *machine,
                  const char    *qdev)
{
  const HangarDomainDef *def = hangar_domain_get_def (hangar_machine_get_live_domain (machine));

  for (guint i = 0; i < def->disks->len; i++)
    {
      HangarDiskDef *disk = g_ptr_array_index (def->disks, i);
      g_autofree char *id = NULL, *file_node = NULL, *format_node = NULL;
      g_autofree char *peripheral = NULL;

      hangar_qemu_disk_names (disk, i, &id, &file_node, &format_node);
      peripheral = g_strdup_printf ("/machine/peripheral/%s/", id);
      if (g_str_equal (qdev, id) || g_str_has_prefix (qdev, peripheral))
        return g_strdup (disk->target);
    }
  return NULL;
}

static void
on_blockstats (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Ask *ask = user_data;
  g_autoptr(JsonNode) reply = hangar_qmp_execute_finish (HANGAR_QMP (object), result, NULL);
  MachineStats *m = answer_arrived (ask);

  if (m != NULL && reply != NULL && JSON_NODE_HOLDS_ARRAY (reply))
    {
      JsonArray *devices = json_node_get_array (reply);
      GVariantBuilder disks;

      g_variant_builder_init (&disks, G_VARIANT_TYPE ("a(stttt)"));
      for (guint i = 0; i < json_array_get_length (devices); i++)
        {
          JsonObject *device = json_array_get_object_element (devices, i);
          JsonObject *stats = device && json_object_has_member (device, "stats") ?
                              json_object_get_object_member (device, "stats") : NULL;
          const char *qdev = device ? json_object_get_string_member_with_default (device, "qdev",
                                                                                 "") : "";
          g_autofree char *target = disk_target_for (ask->machine, qdev);

          if (stats == NULL || target == NULL)
            continue;
          g_variant_builder_add (&disks, "(stttt)", target,
                                 (guint64) json_object_get_int_member_with_default (stats, "rd_bytes", 0),
                                 (guint64) json_object_get_int_member_with_default (stats, "wr_bytes", 0),
                                 (guint64) json_object_get_int_member_with_default (stats, "rd_operations", 0),
                                 (guint64) json_object_get_int_member_with_default (stats, "wr_operations", 0));
        }
      g_clear_pointer (&m->disks, g_variant_unref);
      m->disks = g_variant_ref_sink (g_variant_builder_end (&disks));
    }
  answer_done (ask);
}

/* The guest agent answers on its own time, often after the tick it was asked in has
 * ended: its answer goes to the machine's stats directly, for the next rows. */
typedef struct
{
  GWeakRef  owner;   /* HangarStatistics */
  char     *uuid;
} AgentAsk;

/* The guest's interfaces that are the machine's NICs, by MAC (not lo, not bridges). */
static GVariant *
only_machine_nics (HangarStatistics *self,
                   const char       *uuid,
                   GVariant         *nics)
{
  const HangarDomainDef *def = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *mac;
  guint64 rx, tx;

  for (guint i = 0; i < self->machines->len && def == NULL; i++)
    {
      HangarMachine *machine = g_ptr_array_index (self->machines, i);
      if (g_str_equal (hangar_machine_get_uuid (machine), uuid))
        def = hangar_domain_get_def (hangar_machine_get_live_domain (machine));
    }
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(stt)"));
  g_variant_iter_init (&iter, nics);
  while (def != NULL && g_variant_iter_next (&iter, "(&stt)", &mac, &rx, &tx))
    for (guint i = 0; i < def->nets->len; i++)
      if (g_str_equal (((HangarNetDef *) g_ptr_array_index (def->nets, i))->mac, mac))
        g_variant_builder_add (&builder, "(stt)", mac, rx, tx);
  return g_variant_builder_end (&builder);
}

static void
on_agent (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  AgentAsk *ask = user_data;
  g_autoptr(HangarStatistics) self = g_weak_ref_get (&ask->owner);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) info = hangar_guest_agent_query_finish (result, &error);
  MachineStats *m = self ? g_hash_table_lookup (self->stats, ask->uuid) : NULL;

  if (m != NULL)
    {
      g_autoptr(GVariant) nics = info ? g_variant_lookup_value (info, "nic-statistics",
                                                                G_VARIANT_TYPE ("a(stt)")) : NULL;

      m->agent_busy = FALSE;
      g_clear_pointer (&m->nics, g_variant_unref);
      g_clear_pointer (&m->nics_unavailable, g_free);
      if (nics != NULL)
        {
          m->nics = g_variant_ref_sink (only_machine_nics (self, ask->uuid, nics));
          m->nics_fresh = TRUE;
        }
      else
        m->nics_unavailable = g_strdup (_("the guest agent does not answer"));
    }
  g_weak_ref_clear (&ask->owner);
  g_free (ask->uuid);
  g_free (ask);
}

static Ask *
ask_new (HangarStatistics *self,
         HangarMachine    *machine)
{
  Ask *ask = g_new0 (Ask, 1);

  ask->tick = self->tick;
  ask->uuid = g_strdup (hangar_machine_get_uuid (machine));
  ask->machine = g_object_ref (machine);
  self->tick->pending++;
  return ask;
}

static void
ask_qemu (HangarStatistics *self,
          HangarMachine    *machine,
          MachineStats     *m)
{
  const HangarDomainDef *def = hangar_domain_get_def (hangar_machine_get_live_domain (machine));
  HangarQmp *qmp = hangar_machine_get_qmp (machine);
  gboolean agent = FALSE;

  if (qmp == NULL)
    return;
  hangar_qmp_execute_async (qmp, "query-blockstats", NULL, NULL, on_blockstats,
                            ask_new (self, machine));

  for (guint i = 0; i < def->channels->len; i++)
    agent |= g_array_index (def->channels, HangarChannelKind, i) == HANGAR_CHANNEL_GUEST_AGENT;
  if (def->nets->len == 0)
    return;
  if (!agent)
    {
      g_clear_pointer (&m->nics_unavailable, g_free);
      m->nics_unavailable = g_strdup (_("no guest agent channel"));
      return;
    }
  if (m->agent_countdown == 0 && !m->agent_busy)
    {
      g_autofree char *runtime_dir = hangar_paths_runtime_dir (def->uuid);
      g_autofree char *socket_path = g_build_filename (runtime_dir, HANGAR_RUNTIME_AGENT_SOCKET,
                                                       NULL);
      AgentAsk *ask = g_new0 (AgentAsk, 1);

      g_weak_ref_init (&ask->owner, self);
      ask->uuid = g_strdup (def->uuid);
      m->agent_busy = TRUE;
      m->agent_countdown = AGENT_EVERY_TICKS;
      hangar_guest_agent_query_async (socket_path, TRUE, NULL, on_agent, ask);
    }
  if (m->agent_countdown > 0)
    m->agent_countdown--;
}

/* ---- the end of a tick --------------------------------------------------------- */

/* A rate from two counters, or NaN the first time; the counters are then kept. */
static double
rate (guint64 *previous,
      gint64  *previous_us,
      guint64  now,
      gint64   now_us)
{
  double result = NAN;

  if (*previous_us > 0 && now_us > *previous_us && now >= *previous)
    result = (double) (now - *previous) / ((double) (now_us - *previous_us) / G_USEC_PER_SEC);
  *previous = now;
  *previous_us = now_us;
  return result;
}

static void
take_rates (MachineStats *m,
            gint64        now_us)
{
  if (m->disks != NULL)
    {
      GVariantIter iter;
      guint64 read, written, reads, writes, total[2] = { 0, 0 };
      gint64 disk_us = m->disk_us;
      const char *target;

      g_variant_iter_init (&iter, m->disks);
      while (g_variant_iter_next (&iter, "(&stttt)", &target, &read, &written, &reads, &writes))
        {
          total[0] += read;
          total[1] += written;
        }
      m->row[COL_DISK_READ] = rate (&m->disk_bytes[0], &disk_us, total[0], now_us);
      disk_us = m->disk_us;
      m->row[COL_DISK_WRITE] = rate (&m->disk_bytes[1], &disk_us, total[1], now_us);
      m->disk_us = disk_us;
    }
  if (m->nics != NULL && m->nics_fresh)
    {
      GVariantIter iter;
      guint64 rx, tx, total[2] = { 0, 0 };
      gint64 net_us = m->net_us;
      const char *mac;

      g_variant_iter_init (&iter, m->nics);
      while (g_variant_iter_next (&iter, "(&stt)", &mac, &rx, &tx))
        {
          total[0] += rx;
          total[1] += tx;
        }
      m->net_rate[0] = rate (&m->net_bytes[0], &net_us, total[0], now_us);
      net_us = m->net_us;
      m->net_rate[1] = rate (&m->net_bytes[1], &net_us, total[1], now_us);
      m->net_us = net_us;
      m->nics_fresh = FALSE;
    }
  /* Between the agent's answers, its last rates stand. */
  if (m->nics != NULL)
    {
      m->row[COL_NET_RX] = m->net_rate[0];
      m->row[COL_NET_TX] = m->net_rate[1];
    }
}

static GVariant *
machine_sample (MachineStats *m)
{
  GVariantBuilder values;

  g_variant_builder_init (&values, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&values, "{sv}", "cpu", g_variant_new_double (m->row[COL_CPU]));
  g_variant_builder_add (&values, "{sv}", "cpu-overhead",
                         g_variant_new_double (m->row[COL_OVERHEAD]));
  g_variant_builder_add (&values, "{sv}", "memory-rss",
                         g_variant_new_uint64 ((guint64) m->row[COL_RSS]));
  if (!isnan (m->row[COL_GUEST]))
    g_variant_builder_add (&values, "{sv}", "memory-guest",
                           g_variant_new_uint64 ((guint64) m->row[COL_GUEST]));
  if (m->disks != NULL)
    g_variant_builder_add (&values, "{sv}", "disks", m->disks);
  if (m->nics != NULL)
    g_variant_builder_add (&values, "{sv}", "nics", m->nics);
  else if (m->nics_unavailable != NULL)
    g_variant_builder_add (&values, "{sv}", "nics-unavailable",
                           g_variant_new_string (m->nics_unavailable));
  return g_variant_builder_end (&values);
}

static void
finish_tick (HangarStatistics *self)
{
  GVariantBuilder samples, host;
  gint64 now_us = g_get_monotonic_time ();
  double machines_cpu = 0, machines_memory = 0;
  gboolean any = FALSE;
  GHashTableIter iter;
  gpointer key, value;

  g_clear_handle_id (&self->deadline_id, g_source_remove);
  if (self->tick != NULL)
    {
      /* Replies still out will find no owner. */
      self->tick->owner = NULL;
      if (self->tick->pending == 0)
        g_free (self->tick);
      self->tick = NULL;
    }

  g_variant_builder_init (&samples, G_VARIANT_TYPE ("a(sa{sv})"));
  g_hash_table_iter_init (&iter, self->stats);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      MachineStats *m = value;

      if (!m->sampled)
        continue;
      take_rates (m, now_us);
      hangar_stats_history_append (m->history, self->tick_time, m->row);
      machines_cpu += m->row[COL_CPU] + m->row[COL_OVERHEAD];
      machines_memory += m->row[COL_RSS];
      g_variant_builder_add (&samples, "(s@a{sv})", (const char *) key, machine_sample (m));
      any = TRUE;
      m->sampled = FALSE;
    }

  self->host_row[HOST_MACHINES_CPU] = machines_cpu;
  self->host_row[HOST_MACHINES_MEMORY] = machines_memory;
  hangar_stats_history_append (self->host_history, self->tick_time, self->host_row);

  g_variant_builder_init (&host, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&host, "{sv}", "cpu", g_variant_new_double (self->host_row[HOST_CPU]));
  g_variant_builder_add (&host, "{sv}", "memory-total",
                         g_variant_new_uint64 (self->host_previous.memory_total));
  g_variant_builder_add (&host, "{sv}", "memory-available",
                         g_variant_new_uint64 (self->host_previous.memory_available));
  g_variant_builder_add (&host, "{sv}", "load", g_variant_new_double (self->host_row[HOST_LOAD]));
  g_variant_builder_add (&host, "{sv}", "machines-cpu", g_variant_new_double (machines_cpu));
  g_variant_builder_add (&host, "{sv}", "machines-memory",
                         g_variant_new_uint64 ((guint64) machines_memory));

  if (subscribed (self) && (any || !isnan (self->host_row[HOST_CPU])))
    {
      g_autoptr(GVariant) host_values = g_variant_ref_sink (g_variant_builder_end (&host));
      g_autoptr(GVariant) batch = g_variant_ref_sink (g_variant_builder_end (&samples));

      g_signal_emit (self, signals[SIGNAL_SAMPLE], 0, self->tick_time, host_values, batch);
    }
  else
    {
      g_variant_builder_clear (&host);
      g_variant_builder_clear (&samples);
    }
}

static gboolean
on_deadline (gpointer user_data)
{
  HangarStatistics *self = user_data;

  self->deadline_id = 0;
  finish_tick (self);
  return G_SOURCE_REMOVE;
}

static void restart_timer (HangarStatistics *self);

static gboolean
on_tick (gpointer user_data)
{
  HangarStatistics *self = user_data;
  g_autoptr(GHashTable) running = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 now_us = g_get_monotonic_time ();
  gboolean ask = subscribed (self);
  GHashTableIter iter;
  gpointer key, value;

  if (self->tick != NULL)
    finish_tick (self); /* the last one's late replies are not waited for */

  if (!any_running (self) && !ask)
    {
      self->timeout_id = 0;
      return G_SOURCE_REMOVE;
    }

  self->tick = g_new0 (Tick, 1);
  self->tick->owner = self;
  self->tick_time = g_get_real_time ();
  sample_host (self);
  for (guint i = 0; i < self->machines->len; i++)
    {
      HangarMachine *machine = g_ptr_array_index (self->machines, i);
      GPid pid = hangar_machine_get_pid (machine);
      MachineStats *m;

      if (pid <= 0)
        continue;
      m = lookup_stats (self, hangar_machine_get_uuid (machine));
      g_hash_table_add (running, (gpointer) hangar_machine_get_uuid (machine));
      machine_stats_clear_tick (m);
      sample_machine (self, m, pid, now_us);
      /* The balloon is followed by QEMU's events: no question to ask. */
      if (m->sampled && hangar_machine_get_balloon_actual (machine) > 0)
        m->row[COL_GUEST] = hangar_machine_get_balloon_actual (machine);
      if (ask && m->sampled)
        ask_qemu (self, machine, m);
    }

  /* Machines that stopped keep their history until they are deleted; not their counters. */
  g_hash_table_iter_init (&iter, self->stats);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      MachineStats *m = value;
      gboolean defined = FALSE;

      for (guint i = 0; i < self->machines->len && !defined; i++)
        defined = g_str_equal (hangar_machine_get_uuid (g_ptr_array_index (self->machines, i)),
                               key);
      if (!defined)
        g_hash_table_iter_remove (&iter);
      else if (!g_hash_table_contains (running, key))
        m->have_previous = FALSE;
    }

  if (self->tick->pending == 0)
    finish_tick (self);
  else
    self->deadline_id = g_timeout_add (MAX (self->interval_ms / 2, 100), on_deadline, self);
  return G_SOURCE_CONTINUE;
}

static void
restart_timer (HangarStatistics *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (any_running (self) || subscribed (self))
    self->timeout_id = g_timeout_add (self->interval_ms, on_tick, self);
}

/* ---- the object ------------------------------------------------------------------ */

static void
hangar_statistics_finalize (GObject *object)
{
  HangarStatistics *self = HANGAR_STATISTICS (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->deadline_id, g_source_remove);
  if (self->tick != NULL)
    {
      self->tick->owner = NULL;
      if (self->tick->pending == 0)
        g_free (self->tick);
    }
  g_clear_pointer (&self->stats, g_hash_table_unref);
  g_clear_pointer (&self->subscribers, g_hash_table_unref);
  g_clear_pointer (&self->host_history, hangar_stats_history_free);
  g_clear_pointer (&self->machines, g_ptr_array_unref);
  G_OBJECT_CLASS (hangar_statistics_parent_class)->finalize (object);
}

static void
hangar_statistics_class_init (HangarStatisticsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hangar_statistics_finalize;

  signals[SIGNAL_SAMPLE] =
    g_signal_new ("sample", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_VARIANT, G_TYPE_VARIANT);
}

static void
hangar_statistics_init (HangarStatistics *self)
{
  self->stats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, machine_stats_free);
  self->subscribers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->interval_ms = 1000;
  self->ticks_per_second = sysconf (_SC_CLK_TCK);
  self->host_history = hangar_stats_history_new (host_columns, history_capacity (self));
}

/**
 * hangar_statistics_new:
 * @machines: the engine's machines; the array is shared, not copied
 */
HangarStatistics *
hangar_statistics_new (GPtrArray *machines)
{
  HangarStatistics *self = g_object_new (HANGAR_TYPE_STATISTICS, NULL);

  self->machines = g_ptr_array_ref (machines);
  restart_timer (self);
  return self;
}

/**
 * hangar_statistics_machines_changed:
 *
 * A machine started, stopped, came or went: the timer runs only while one runs (or
 * someone listens).
 */
void
hangar_statistics_machines_changed (HangarStatistics *self)
{
  g_return_if_fail (HANGAR_IS_STATISTICS (self));

  if (self->timeout_id == 0 && any_running (self))
    restart_timer (self);
}

guint
hangar_statistics_get_interval (HangarStatistics *self)
{
  g_return_val_if_fail (HANGAR_IS_STATISTICS (self), 0);

  return self->interval_ms;
}

gboolean
hangar_statistics_set_interval (HangarStatistics  *self,
                                guint              interval_ms,
                                GError           **error)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (HANGAR_IS_STATISTICS (self), FALSE);

  if (interval_ms < HANGAR_STATISTICS_MIN_INTERVAL || interval_ms > HANGAR_STATISTICS_MAX_INTERVAL)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("The statistics interval must be from %u to %u milliseconds, not %u."),
                   HANGAR_STATISTICS_MIN_INTERVAL, HANGAR_STATISTICS_MAX_INTERVAL, interval_ms);
      return FALSE;
    }
  if (interval_ms == self->interval_ms)
    return TRUE;
  self->interval_ms = interval_ms;
  hangar_stats_history_set_capacity (self->host_history, history_capacity (self));
  g_hash_table_iter_init (&iter, self->stats);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    hangar_stats_history_set_capacity (((MachineStats *) value)->history,
                                       history_capacity (self));
  restart_timer (self);
  return TRUE;
}

/**
 * hangar_statistics_subscribe:
 * @name: who: a unique bus name, or any key for a peer connection
 */
void
hangar_statistics_subscribe (HangarStatistics *self,
                             const char       *name)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->subscribers, name));

  g_hash_table_replace (self->subscribers, g_strdup (name), GUINT_TO_POINTER (count + 1));
  if (self->timeout_id == 0)
    restart_timer (self);
}

/**
 * hangar_statistics_unsubscribe:
 * @all: forget every subscription of @name (it left the bus), not just one
 *
 * Returns: whether @name was subscribed.
 */
gboolean
hangar_statistics_unsubscribe (HangarStatistics *self,
                               const char       *name,
                               gboolean          all)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->subscribers, name));

  if (count == 0)
    return FALSE;
  if (all || count == 1)
    g_hash_table_remove (self->subscribers, name);
  else
    g_hash_table_replace (self->subscribers, g_strdup (name), GUINT_TO_POINTER (count - 1));
  return TRUE;
}

guint
hangar_statistics_get_subscribers (HangarStatistics *self)
{
  return g_hash_table_size (self->subscribers);
}

/**
 * hangar_statistics_get_history:
 * @uuids: machines, "" for the host; empty: every machine with history, and the host
 * @max_samples: the newest this many (0: all)
 *
 * Returns: (transfer floating): a(sa{sv}), see Host1.GetStatisticsHistory.
 */
GVariant *
hangar_statistics_get_history (HangarStatistics   *self,
                               const char * const *uuids,
                               guint               max_samples)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sa{sv})"));
  if (uuids == NULL || uuids[0] == NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_variant_builder_add (&builder, "(s@a{sv})", "",
                             hangar_stats_history_to_variant (self->host_history, max_samples));
      g_hash_table_iter_init (&iter, self->stats);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_variant_builder_add (&builder, "(s@a{sv})", (const char *) key,
                               hangar_stats_history_to_variant (((MachineStats *) value)->history,
                                                                max_samples));
      return g_variant_builder_end (&builder);
    }
  for (guint i = 0; uuids[i] != NULL; i++)
    {
      MachineStats *m = *uuids[i] ? g_hash_table_lookup (self->stats, uuids[i]) : NULL;
      HangarStatsHistory *history = *uuids[i] ? (m ? m->history : NULL) : self->host_history;

      if (history != NULL)
        g_variant_builder_add (&builder, "(s@a{sv})", uuids[i],
                               hangar_stats_history_to_variant (history, max_samples));
    }
  return g_variant_builder_end (&builder);
}
