/* hangar-stats-bench.c: what statistics cost the engine, with 0, 10 and 50 guests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 7's figures, printed, never asserted:
 *  1. the engine's CPU seconds per minute (utime + stime of hangar-engine from
 *     /proc/PID/stat over a measured window, scaled to a minute) with 0, 10 and 50
 *     running tiny guests, statistics subscribed, 1 s interval; and the same with
 *     nobody subscribed, to show what the QEMU half costs;
 *  2. the engine's wake-ups (voluntary context switches) per interval;
 *  3. D-Bus bytes per Statistics signal (the whole message as sent) at each count.
 * The guests are the tiny test guest under TCG, 128 MiB each. Knobs:
 * HANGAR_BENCH_STATS_SECONDS (measured window, 60), HANGAR_BENCH_STATS_COUNTS
 * ("0,10,50").
 */
#define G_LOG_DOMAIN "hangar-bench"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "hangar-test-engine.h"

typedef struct
{
  guint64 ticks;
  guint64 wakeups;
} EngineCost;

static gboolean
read_engine (GPid        pid,
             EngineCost *cost)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *status_path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *stat = NULL, *status = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after, *line;

  if (!g_file_get_contents (path, &stat, NULL, NULL) ||
      !g_file_get_contents (status_path, &status, NULL, NULL))
    return FALSE;
  after = strrchr (stat, ')');
  fields = g_strsplit (after + 2, " ", 0);
  cost->ticks = g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10);
  line = strstr (status, "voluntary_ctxt_switches:");
  cost->wakeups = line ? g_ascii_strtoull (line + strlen ("voluntary_ctxt_switches:"), NULL, 10) :
                         0;
  return TRUE;
}

typedef struct
{
  GMutex  lock;      /* the filter runs in GDBus's worker thread */
  guint   signals;
  guint64 bytes;
} Traffic;

/* Counts the Statistics signals and their size as they arrive (in GDBus's worker thread). */
static GDBusMessage *
count_statistics (GDBusConnection *connection,
                  GDBusMessage    *message,
                  gboolean         incoming,
                  gpointer         user_data)
{
  Traffic *traffic = user_data;

  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_SIGNAL &&
      g_strcmp0 (g_dbus_message_get_member (message), "Statistics") == 0)
    {
      gsize size = 0;
      g_autofree guchar *blob = g_dbus_message_to_blob (message, &size,
                                                        G_DBUS_CAPABILITY_FLAGS_NONE, NULL);

      g_mutex_lock (&traffic->lock);
      traffic->signals++;
      traffic->bytes += size;
      g_mutex_unlock (&traffic->lock);
    }
  return message;
}

static void
run_main_loop_for (guint seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < until)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (20000);
    }
}

static GPid
engine_pid (HangarTestEngine *fixture)
{
  return atoi (g_subprocess_get_identifier (fixture->engine));
}

/* One measured window: the engine's cost, and what the client received. */
static void
measure (HangarTestEngine *fixture,
         guint             running,
         gboolean          subscribed,
         guint             seconds,
         Traffic          *traffic)
{
  GPid pid = engine_pid (fixture);
  EngineCost before, after;
  guint start_signals, signals;
  guint64 start_bytes, bytes;
  double cpu_s, per_minute, wakeups;

  run_main_loop_for (2); /* let a subscription settle */
  g_mutex_lock (&traffic->lock);
  start_signals = traffic->signals;
  start_bytes = traffic->bytes;
  g_mutex_unlock (&traffic->lock);
  read_engine (pid, &before);
  run_main_loop_for (seconds);
  read_engine (pid, &after);
  g_mutex_lock (&traffic->lock);
  signals = traffic->signals - start_signals;
  bytes = traffic->bytes - start_bytes;
  g_mutex_unlock (&traffic->lock);
  cpu_s = (double) (after.ticks - before.ticks) / sysconf (_SC_CLK_TCK);
  per_minute = cpu_s * 60.0 / seconds;
  wakeups = (double) (after.wakeups - before.wakeups) / seconds;
  g_print ("  %3u guests, %-12s  engine %6.3f CPU s/min (%5.2f %% of a core)  "
           "%6.1f wake-ups/s  %3u signals  %7.0f bytes/signal\n",
           running, subscribed ? "subscribed" : "nobody", per_minute, per_minute / 60.0 * 100.0,
           wakeups, signals,
           signals > 0 ? (double) bytes / signals : 0.0);
}

static GArray *
parse_counts (void)
{
  const char *text = g_getenv ("HANGAR_BENCH_STATS_COUNTS");
  g_auto(GStrv) parts = g_strsplit (text && *text ? text : "0,10,50", ",", 0);
  GArray *counts = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint n = atoi (parts[i]);
      g_array_append_val (counts, n);
    }
  return counts;
}

int
main (int    argc,
      char **argv)
{
  HangarTestEngine fixture = { 0 };
  g_autoptr(GArray) counts = parse_counts ();
  g_autoptr(GPtrArray) machines = g_ptr_array_new_with_free_func (g_object_unref);
  const char *seconds_text = g_getenv ("HANGAR_BENCH_STATS_SECONDS");
  guint seconds = seconds_text && *seconds_text ? atoi (seconds_text) : 60;
  Traffic traffic = { 0 };
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus;

  g_test_init (&argc, &argv, NULL);
  hangar_test_engine_setup (&fixture);
  bus = g_dbus_proxy_get_connection (G_DBUS_PROXY (fixture.host));
  /* The host proxy has the match rule for Host1's signals, as the window's has. */
  g_dbus_connection_add_filter (bus, count_statistics, &traffic, NULL);

  g_print ("Statistics cost, %u s windows, 1 s interval, tiny guests under TCG "
           "(%u host CPUs)\n", seconds, g_get_num_processors ());
  for (guint c = 0; c < counts->len; c++)
    {
      guint wanted = g_array_index (counts, guint, c);

      while (machines->len < wanted)
        {
          g_autofree char *name = g_strdup_printf ("stats-bench-%03u", machines->len);
          g_autofree char *xml = hangar_test_guest_xml (name, "<memballoon model='virtio'/>");
          HangarDBusMachine1 *machine = hangar_test_define (&fixture, xml);

          hangar_test_start_and_wait_ready (&fixture, machine);
          g_ptr_array_add (machines, machine);
        }
      /* Boots are over: the guests idle, as most do. */
      run_main_loop_for (5);
      hangar_dbus_host1_call_unsubscribe_statistics_sync (fixture.host, NULL, NULL);
      measure (&fixture, machines->len, FALSE, seconds, &traffic);
      hangar_dbus_host1_call_subscribe_statistics_sync (fixture.host, NULL, &error);
      g_assert_no_error (error);
      measure (&fixture, machines->len, TRUE, seconds, &traffic);
    }

  for (guint i = 0; i < machines->len; i++)
    hangar_dbus_machine1_call_force_off_sync (g_ptr_array_index (machines, i), NULL, NULL);
  g_ptr_array_set_size (machines, 0);
  hangar_test_engine_teardown (&fixture);
  return 0;
}
