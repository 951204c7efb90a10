/* test-window-performance.c: graphs of a busy guest, the time shown, the host overview
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * See window-fixture.h for how these tests run the window. The guest runs
 * `yes > /dev/null` (the tiny guest's hangar.burn kernel argument), so its CPU graph
 * has something to show; the figures on screen are checked against the engine's
 * own Statistics signal, which the test follows on its own proxy.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "hangar-format.h"
#include "hangar-graph.h"
#include "hangar-host-page.h"
#include "hangar-machine-page.h"
#include "hangar-performance-view.h"
#include "hangar-stats-series.h"
#include "window-fixture.h"

/* What the engine last signalled for one machine and for the host. */
typedef struct
{
  const char *uuid;
  guint       count;
  gint64      timestamp;
  double      cpu;
  guint64     rss;
  double      host_cpu;
} Signalled;

static void
on_statistics (HangarDBusHost1 *host,
               gint64           timestamp,
               GVariant        *host_values,
               GVariant        *samples,
               Signalled       *signalled)
{
  GVariantIter iter;
  const char *uuid;
  GVariant *values;

  signalled->count++;
  g_variant_lookup (host_values, "cpu", "d", &signalled->host_cpu);
  g_variant_iter_init (&iter, samples);
  while (g_variant_iter_loop (&iter, "(&s@a{sv})", &uuid, &values))
    if (g_strcmp0 (uuid, signalled->uuid) == 0)
      {
        signalled->timestamp = timestamp;
        g_variant_lookup (values, "cpu", "d", &signalled->cpu);
        g_variant_lookup (values, "memory-rss", "t", &signalled->rss);
      }
}

static HangarDBusMachine1 *
define_busy (Fixture    *fixture,
             const char *name)
{
  /* A user-mode NIC and no agent channel: the network graph must say why it is empty. */
  g_autofree char *plain = hangar_test_guest_xml (name, "<interface type='user'>"
                                                        "<model type='virtio'/></interface>");
  g_auto(GStrv) parts = g_strsplit (plain, "panic=-1", 2);
  g_autofree char *xml = g_strjoinv ("panic=-1 hangar.burn", parts);

  g_assert_nonnull (strstr (xml, "hangar.burn"));
  return hangar_test_define (&fixture->engine, xml);
}

static GtkWidget *
template_child (GtkWidget  *widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (widget, type, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static const char *
label_text (GtkWidget  *view,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (template_child (view, HANGAR_TYPE_PERFORMANCE_VIEW,
                                                        name)));
}

/* Runs the main loop until @series holds @n samples, 30 s at a time. */
static void
wait_samples (Fixture           *fixture,
              HangarStatsSeries *series,
              guint              n)
{
  for (guint k = MIN (n, hangar_stats_series_get_n_samples (series) + 20); ;
       k = MIN (n, k + 20))
    {
      WAIT_UNTIL (fixture, hangar_stats_series_get_n_samples (series) >= k, NULL);
      if (k == n)
        break;
    }
}

static guint
rebuilds (GtkWidget *view)
{
  return hangar_graph_get_n_rebuilds (HANGAR_GRAPH (template_child (view,
                                                                    HANGAR_TYPE_PERFORMANCE_VIEW,
                                                                    "cpu_graph")));
}

static void
test_busy_guest (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(HangarDBusMachine1) busy = define_busy (fixture, "busy");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  Signalled signalled = { hangar_dbus_machine1_get_uuid (busy), 0, 0, NAN, 0, NAN };
  AdwStyleManager *style = adw_style_manager_get_default ();
  HangarStatsSeries *series;
  GtkWidget *page, *view;
  gulong handler;
  guint before, samples_before;

  g_settings_set_uint (settings, "statistics-interval", 1000);
  g_settings_set_int (settings, "window-width", 1000);
  g_settings_set_int (settings, "window-height", 700);
  handler = g_signal_connect (fixture->engine.host, "statistics", G_CALLBACK (on_statistics),
                              &signalled);
  open_window_full (fixture, 0);
  wait_for_rows (fixture, "busy | Shut Off | 1 CPU " DOT " 128 MiB");
  select_machine (fixture, "busy");
  activate (fixture, "vm.run");
  WAIT_UNTIL (fixture, row_state_is (fixture, "busy", "Running"), "busy Running");
  started_qemu_pid = hangar_dbus_machine1_get_pid (busy);

  /* The Performance tab, open from the start: it asks for the history, then follows. */
  activate (fixture, "vm.open");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "details") == 0, NULL);
  page = gtk_stack_get_visible_child (main_stack (fixture));
  hangar_machine_page_set_tab (HANGAR_MACHINE_PAGE (page), "performance");
  view = template_child (page, HANGAR_TYPE_MACHINE_PAGE, "performance_view");
  WAIT_UNTIL (fixture, gtk_widget_get_mapped (view), NULL);
  series = hangar_performance_view_get_series (HANGAR_PERFORMANCE_VIEW (view));
  g_assert_nonnull (series);

  /* Half a minute of samples, then the guest is busy: well above an idle guest. */
  wait_samples (fixture, series, 30);
  for (guint i = 0; i < hangar_stats_series_get_n_samples (series); i++)
    g_test_message ("sample %u: CPU %.1f %%, QEMU %.1f %%", i,
                    hangar_stats_series_get_value (series, i, HANGAR_MACHINE_STAT_CPU),
                    hangar_stats_series_get_value (series, i, HANGAR_MACHINE_STAT_CPU_OVERHEAD));
  /* On a loaded host TCG gets less than a whole CPU: "busy" is more than a quarter. */
  WAIT_UNTIL (fixture, hangar_stats_series_get_last (series, HANGAR_MACHINE_STAT_CPU) > 25,
              NULL);

  /* The figures on screen are the engine's last signal's, as rounded for display. */
  WAIT_UNTIL (fixture, signalled.timestamp != 0 &&
                       hangar_stats_series_get_last_timestamp (series) == signalled.timestamp,
              NULL);
  {
    g_autofree char *cpu = hangar_format_cpu (NULL, signalled.cpu);
    g_autofree char *rss = hangar_format_memory (NULL, (signalled.rss + 512) / 1024);

    g_test_message ("CPU signalled %.2f %%, shown \"%s\"; RSS %" G_GUINT64_FORMAT
                    " bytes, shown \"%s\"", signalled.cpu, label_text (view, "cpu_guest_label"),
                    signalled.rss, label_text (view, "memory_rss_label"));
    g_assert_cmpstr (label_text (view, "cpu_guest_label"), ==, cpu);
    g_assert_cmpstr (label_text (view, "memory_rss_label"), ==, rss);
    g_assert_cmpfloat (signalled.cpu, >, 25);
  }
  /* No agent channel: network says why, in words. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (
                     template_child (view, HANGAR_TYPE_PERFORMANCE_VIEW, "network_stack"))),
                   ==, "unavailable");
  g_assert_true (g_str_has_prefix (label_text (view, "network_unavailable_label"),
                                   "Network use is not available"));
  {
    g_autofree char *texts = shown_texts (view);

    g_test_message ("Performance tab: %s", texts);
    g_assert_true (g_str_has_prefix (texts, "1 Minute | 10 Minutes | 1 Hour | Processor | "
                                            "Guest | QEMU | Memory | Guest | QEMU | Disk | "
                                            "Read | Write | Network | Received | Sent | "
                                            "Network use is not available"));
  }
  take_screenshot (fixture, "performance-busy.png");

  /* Drawn again only when a sample comes, not on every frame. */
  settle_widget (fixture, view);
  before = rebuilds (view);
  samples_before = hangar_stats_series_get_n_samples (series);
  wait_samples (fixture, series, samples_before + 3);
  settle_widget (fixture, view);
  g_test_message ("CPU graph rebuilt %u times for %u samples", rebuilds (view) - before,
                  hangar_stats_series_get_n_samples (series) - samples_before);
  g_assert_cmpuint (rebuilds (view) - before, <=,
                    hangar_stats_series_get_n_samples (series) - samples_before + 1);

  /* The dark style: the graphs take its colours. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  WAIT_UNTIL (fixture, adw_style_manager_get_dark (style), NULL);
  take_screenshot (fixture, "performance-busy-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* The time shown: an hour, then ten minutes, as the buttons set it. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (
    template_child (view, HANGAR_TYPE_PERFORMANCE_VIEW, "hour_button")), TRUE);
  g_assert_cmpuint (hangar_performance_view_get_span (HANGAR_PERFORMANCE_VIEW (view)), ==, 3600);
  g_assert_cmpuint (hangar_graph_get_span (HANGAR_GRAPH (
                      template_child (view, HANGAR_TYPE_PERFORMANCE_VIEW, "disk_graph"))),
                    ==, 3600);
  take_screenshot (fixture, "performance-hour.png");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (
    template_child (view, HANGAR_TYPE_PERFORMANCE_VIEW, "ten_minutes_button")), TRUE);
  g_assert_cmpuint (hangar_graph_get_span (HANGAR_GRAPH (
                      template_child (view, HANGAR_TYPE_PERFORMANCE_VIEW, "cpu_graph"))),
                    ==, 600);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
                   template_child (view, HANGAR_TYPE_PERFORMANCE_VIEW, "ten_minutes_button"))));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
                    template_child (view, HANGAR_TYPE_PERFORMANCE_VIEW, "hour_button"))));

  /* Opened again, the tab has the past at once, from the engine's history. */
  activate (fixture, "vm.back");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "list") == 0, NULL);
  hangar_machine_page_set_machine (HANGAR_MACHINE_PAGE (page), NULL);
  activate (fixture, "vm.open");
  hangar_machine_page_set_tab (HANGAR_MACHINE_PAGE (page), "performance");
  series = hangar_performance_view_get_series (HANGAR_PERFORMANCE_VIEW (view));
  WAIT_UNTIL (fixture, hangar_stats_series_get_n_samples (series) >= 30, NULL);
  activate (fixture, "vm.back");

  /* The list's graphs show what the preferences ask: memory, with its figure. */
  {
    GtkWidget *figure = find_label_with_class (find_row (fixture, "busy"), "statistics");

    g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (figure)), " %"));
    g_settings_set_string (settings, "sparkline-metric", "memory");
    WAIT_UNTIL (fixture, g_str_has_suffix (gtk_label_get_text (GTK_LABEL (figure)), " MiB"),
                NULL);
    take_screenshot (fixture, "list-sparkline-memory.png");
    g_settings_set_string (settings, "sparkline-metric", "disk");
    WAIT_UNTIL (fixture, g_str_has_suffix (gtk_label_get_text (GTK_LABEL (figure)), "B/s"), NULL);
    g_settings_reset (settings, "sparkline-metric");
    WAIT_UNTIL (fixture, g_str_has_suffix (gtk_label_get_text (GTK_LABEL (figure)), " %"), NULL);
  }

  /* The host overview, from the connection's header: the host's CPU as signalled. */
  activate (fixture, "win.show-host");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "host") == 0, NULL);
  {
    GtkWidget *host_page = gtk_stack_get_visible_child (main_stack (fixture));
    HangarStatsSeries *host_series = hangar_connection_get_host_series (fixture->connection);
    GtkLabel *cpu_label = GTK_LABEL (template_child (host_page, HANGAR_TYPE_HOST_PAGE,
                                                     "cpu_label"));
    g_autofree char *texts = NULL;
    g_autofree char *expected = NULL;
    g_autofree char *cpu = NULL;

    /* The engine's history came at once: more than the few seconds since. */
    WAIT_UNTIL (fixture, hangar_stats_series_get_n_samples (host_series) >= 30, NULL);
    WAIT_UNTIL (fixture, hangar_stats_series_get_last_timestamp (host_series) ==
                         signalled.timestamp, NULL);
    cpu = hangar_format_cpu (NULL, signalled.host_cpu);
    g_test_message ("Host CPU signalled %.2f %%, shown \"%s\"", signalled.host_cpu,
                    gtk_label_get_text (cpu_label));
    g_assert_cmpstr (gtk_label_get_text (cpu_label), ==, cpu);
    texts = shown_texts (host_page);
    expected = g_strdup_printf ("%s | Host Performance | 1 Minute | 10 Minutes | 1 Hour | "
                                "Processor | All | Machines | Memory | Used | Machines",
                                hangar_dbus_host1_get_hostname (fixture->engine.host));
    g_test_message ("Host page: %s", texts);
    g_assert_cmpstr (texts, ==, expected);
    g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (
                     template_child (host_page, HANGAR_TYPE_HOST_PAGE, "load_label"))),
                   "Load average: "));
    take_screenshot (fixture, "host.png");
    hangar_host_page_set_span (HANGAR_HOST_PAGE (host_page), 600);
    g_assert_cmpuint (hangar_graph_get_span (HANGAR_GRAPH (
                        template_child (host_page, HANGAR_TYPE_HOST_PAGE, "memory_graph"))),
                      ==, 600);
  }
  activate (fixture, "vm.back");
  WAIT_UNTIL (fixture, g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (fixture)),
                                  "list") == 0, NULL);

  g_signal_handler_disconnect (fixture->engine.host, handler);
  {
    g_autoptr(GError) error = NULL;

    hangar_dbus_machine1_call_force_off_sync (busy, NULL, &error);
    g_assert_no_error (error);
    hangar_test_wait_state (busy, "shut-off", WAIT_TIMEOUT_S);
    started_qemu_pid = 0;
  }
  g_settings_reset (settings, "statistics-interval");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  window_fixture_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/hangar/ui/performance/busy-guest", test_busy_guest);
#undef ADD

  status = g_test_run ();
  window_fixture_finish ();
  return status;
}
