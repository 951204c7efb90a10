/* hangar-perf-bench.c: the UI's own CPU time with graphs on screen (see README.md)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   hangar-perf-bench MODE WIDTH HEIGHT RUNNING WARMUP_S SECONDS [MACHINE]
 *
 * Runs Hangar's own HangarApplication in this process, its window WIDTHxHEIGHT,
 * waits until RUNNING machines of the list have statistics, shows what MODE says:
 *   list         the machine list (a sparkline per running machine in view)
 *   performance  MACHINE's Performance tab (the four graphs, 1 min)
 *   host         the host overview
 * lets it run WARMUP_S seconds, then measures this process's CPU time (user +
 * system, getrusage) over SECONDS, with the frames painted and the Statistics
 * signals received meanwhile, and prints one JSON object. No timing assertions.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <adwaita.h>

#include "hangar-application.h"
#include "hangar-renderer.h"
#include "hangar-connection.h"
#include "hangar-machine-history.h"
#include "hangar-machine-list.h"
#include "hangar-window-private.h"

typedef struct
{
  const char       *mode;
  const char       *machine_name;
  guint             running;
  guint             warmup_s;
  guint             seconds;
  GApplication     *app;
  HangarWindow     *window;
  HangarConnection *connection;
  guint             frames;
  guint             samples;
  double            cpu_start;
  guint             frames_start;
  guint             samples_start;
  gint64            t_start;
} Bench;

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static void
on_after_paint (GdkFrameClock *clock,
                Bench         *b)
{
  b->frames++;
}

static void
on_sample (HangarMachineHistory *history,
           gint64                timestamp,
           Bench                *b)
{
  b->samples++;
}

static guint
count_running_with_samples (Bench *b)
{
  GListModel *machines = G_LIST_MODEL (hangar_connection_get_machines (b->connection));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (machines); i++)
    {
      g_autoptr(HangarDBusMachine1) machine = g_list_model_get_item (machines, i);
      guint n_samples = 0;

      hangar_machine_history_get_samples (hangar_machine_history_get_for (machine),
                                          HANGAR_SPARKLINE_METRIC_CPU, &n_samples);
      n += n_samples > 0;
    }
  return n;
}

static HangarDBusMachine1 *
find_machine (Bench      *b,
              const char *name)
{
  GListModel *machines = G_LIST_MODEL (hangar_connection_get_machines (b->connection));

  for (guint i = 0; i < g_list_model_get_n_items (machines); i++)
    {
      g_autoptr(HangarDBusMachine1) machine = g_list_model_get_item (machines, i);

      if (g_strcmp0 (hangar_dbus_machine1_get_name (machine), name) == 0)
        return g_steal_pointer (&machine);
    }
  return NULL;
}

static gboolean
on_done (gpointer data)
{
  Bench *b = data;
  double cpu = cpu_seconds () - b->cpu_start;
  double wall = (g_get_monotonic_time () - b->t_start) / 1e6;

  printf ("{\"mode\": \"%s\", \"running\": %u, \"wall_s\": %.2f, \"cpu_s\": %.3f, "
          "\"cpu_s_per_min\": %.3f, \"frames\": %u, \"samples\": %u}\n",
          b->mode, b->running, wall, cpu, cpu * 60 / wall, b->frames - b->frames_start,
          b->samples - b->samples_start);
  fflush (stdout);
  g_application_quit (b->app);
  return G_SOURCE_REMOVE;
}

static gboolean
on_warm (gpointer data)
{
  Bench *b = data;

  b->cpu_start = cpu_seconds ();
  b->frames_start = b->frames;
  b->samples_start = b->samples;
  b->t_start = g_get_monotonic_time ();
  g_timeout_add_seconds (b->seconds, on_done, b);
  return G_SOURCE_REMOVE;
}

/* Every 100 ms until the machines are there and have figures; then shows MODE. */
static gboolean
on_poll_ready (gpointer data)
{
  Bench *b = data;
  GListModel *machines = G_LIST_MODEL (hangar_connection_get_machines (b->connection));

  if (hangar_connection_get_status (b->connection) != HANGAR_CONNECTION_STATUS_CONNECTED ||
      g_list_model_get_n_items (machines) == 0 || count_running_with_samples (b) < b->running)
    return G_SOURCE_CONTINUE;

  for (guint i = 0; i < g_list_model_get_n_items (machines); i++)
    {
      g_autoptr(HangarDBusMachine1) machine = g_list_model_get_item (machines, i);

      g_signal_connect (hangar_machine_history_get_for (machine), "sample-added",
                        G_CALLBACK (on_sample), b);
    }
  if (g_str_equal (b->mode, "performance"))
    {
      g_autoptr(HangarDBusMachine1) machine = find_machine (b, b->machine_name);

      if (machine == NULL)
        g_error ("No machine named %s", b->machine_name);
      _hangar_window_open_machine (b->window, machine, "performance");
    }
  else if (g_str_equal (b->mode, "host"))
    gtk_widget_activate_action (GTK_WIDGET (b->window), "win.show-host", NULL);

  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (b->window)), "after-paint",
                    G_CALLBACK (on_after_paint), b);
  g_timeout_add_seconds (b->warmup_s, on_warm, b);
  return G_SOURCE_REMOVE;
}

static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window,
                 Bench          *b)
{
  if (!HANGAR_IS_WINDOW (window) || b->window != NULL)
    return;
  b->window = HANGAR_WINDOW (window);
  b->connection = hangar_window_get_connection (b->window);
  g_timeout_add (100, on_poll_ready, b);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HangarApplication) app = NULL;
  g_autoptr(GSettings) settings = NULL;
  Bench b = { 0 };

  setlocale (LC_ALL, "");
  if (argc < 7)
    {
      g_printerr ("usage: %s list|performance|host WIDTH HEIGHT RUNNING WARMUP_S SECONDS "
                  "[MACHINE]\n", argv[0]);
      return 2;
    }
  b.mode = argv[1];
  b.running = atoi (argv[4]);
  b.warmup_s = atoi (argv[5]);
  b.seconds = atoi (argv[6]);
  b.machine_name = argc > 7 ? argv[7] : NULL;

  /* The window opens at the size the settings say (the memory backend: this process). */
  settings = g_settings_new (APP_ID);
  g_settings_set_int (settings, "window-width", atoi (argv[2]));
  g_settings_set_int (settings, "window-height", atoi (argv[3]));

  /* As hangar's main () does: Cairo where there is no GPU, unless a renderer is asked
   * for (HANGAR_PBENCH_RENDERER). */
  hangar_renderer_prefer_software ();
  app = hangar_application_new ();
  b.app = G_APPLICATION (app);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), &b);
  return g_application_run (G_APPLICATION (app), 0, NULL);
}
