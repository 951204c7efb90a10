/* hangar-details-resources.c: the CPUs and Memory pages
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Counts are bounded in the widgets by what the host has (Host1.HostCpus,
 * Host1.HostMemoryKib): a value the engine would refuse cannot be typed.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-details-private.h"
#include "hangar-format.h"

#define KIB_PER_MIB 1024
/* The least memory worth giving a machine here. */
#define MIN_MEMORY_MIB 16

/* ---- CPUs ---------------------------------------------------------------------- */

typedef struct
{
  GtkSpinButton *vcpus_spin;     /* online at start: <vcpu current> */
  GtkSpinButton *maximum_spin;   /* <vcpu>: what can be plugged in while it runs */
  GtkSwitch     *topology_switch;
  GtkSpinButton *sockets_spin;
  GtkSpinButton *cores_spin;
  GtkSpinButton *threads_spin;
  AdwComboRow   *model_row;
  GtkStringList *models;       /* "host-passthrough", "host-model", then named models */
  guint          loaded_model; /* what the definition said, to leave a missing <cpu> out */
  gboolean       had_cpu;
} Cpus;

static void
cpus_free (Cpus *cpus)
{
  g_clear_object (&cpus->models);
  g_free (cpus);
}

static guint
host_cpus (HangarDetailsPage *page)
{
  HangarDBusHost1 *host = hangar_details_page_get_host (page);
  guint count = host != NULL ? hangar_dbus_host1_get_host_cpus (host) : 0;

  return count > 0 ? count : 1;
}

/* The topology must give the vCPU count: said at once, Apply waits. */
static void
cpus_check (HangarDetailsPage *page)
{
  Cpus *cpus = hangar_details_page_get_data (page);
  gboolean manual = gtk_switch_get_active (cpus->topology_switch);
  guint vcpus = gtk_spin_button_get_value_as_int (cpus->maximum_spin);
  guint product = gtk_spin_button_get_value_as_int (cpus->sockets_spin) *
                  gtk_spin_button_get_value_as_int (cpus->cores_spin) *
                  gtk_spin_button_get_value_as_int (cpus->threads_spin);
  g_autofree char *message = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (cpus->sockets_spin), manual);
  gtk_widget_set_sensitive (GTK_WIDGET (cpus->cores_spin), manual);
  gtk_widget_set_sensitive (GTK_WIDGET (cpus->threads_spin), manual);
  if (hangar_details_page_is_loading (page))
    return;
  if (manual && product != vcpus)
    /* Translators: the first %u is sockets × cores × threads, the second the maximum. */
    message = g_strdup_printf (_("Sockets × cores × threads make %u CPUs, but the maximum "
                                 "is %u."), product, vcpus);
  hangar_details_page_set_invalid (page, message);
}

/* More online raises the maximum with it; a lower maximum takes the online count down. */
static void
on_vcpus_changed (HangarDetailsPage *page)
{
  Cpus *cpus = hangar_details_page_get_data (page);
  double online = gtk_spin_button_get_value (cpus->vcpus_spin);

  if (online > gtk_spin_button_get_value (cpus->maximum_spin))
    gtk_spin_button_set_value (cpus->maximum_spin, online);
}

static void
on_maximum_vcpus_changed (HangarDetailsPage *page)
{
  Cpus *cpus = hangar_details_page_get_data (page);
  double maximum = gtk_spin_button_get_value (cpus->maximum_spin);

  if (gtk_spin_button_get_value (cpus->vcpus_spin) > maximum)
    gtk_spin_button_set_value (cpus->vcpus_spin, maximum);
}

static void
cpus_build (HangarDetailsPage *page)
{
  Cpus *cpus = g_new0 (Cpus, 1);
  guint max = host_cpus (page);
  g_autofree char *subtitle = g_strdup_printf (ngettext ("The host has %u CPU",
                                                         "The host has %u CPUs", max), max);
  AdwPreferencesGroup *group;
  const char * const no_labels[] = { NULL };

  hangar_details_page_set_data (page, cpus, (GDestroyNotify) cpus_free);

  group = hangar_details_page_add_group (page, _("Processors"), NULL);
  cpus->vcpus_spin = hangar_details_page_add_spin (page, group, _("_Virtual CPUs"), subtitle,
                                                   1, max);
  cpus->maximum_spin = hangar_details_page_add_spin (page, group, _("Ma_ximum"),
                                                     _("More can be plugged in while it runs, "
                                                       "up to this"), 1, max);
  cpus->model_row = hangar_details_page_add_combo (page, group, _("CPU _Model"), no_labels);

  group = hangar_details_page_add_group (page, _("Topology"),
                                         _("How the guest sees its CPUs: sockets, cores in "
                                           "each, threads in each core."));
  cpus->topology_switch = hangar_details_page_add_switch (page, group, _("Set _Manually"), NULL);
  cpus->sockets_spin = hangar_details_page_add_spin (page, group, _("_Sockets"), NULL, 1, max);
  cpus->cores_spin = hangar_details_page_add_spin (page, group, _("_Cores"), NULL, 1, max);
  cpus->threads_spin = hangar_details_page_add_spin (page, group, _("_Threads"), NULL, 1, max);

  g_signal_connect_object (cpus->vcpus_spin, "value-changed", G_CALLBACK (on_vcpus_changed),
                           page, G_CONNECT_SWAPPED);
  g_signal_connect_object (cpus->maximum_spin, "value-changed",
                           G_CALLBACK (on_maximum_vcpus_changed), page, G_CONNECT_SWAPPED);
  g_signal_connect_object (cpus->maximum_spin, "value-changed", G_CALLBACK (cpus_check), page,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (cpus->topology_switch, "notify::active", G_CALLBACK (cpus_check),
                           page, G_CONNECT_SWAPPED);
  g_signal_connect_object (cpus->sockets_spin, "value-changed", G_CALLBACK (cpus_check), page,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (cpus->cores_spin, "value-changed", G_CALLBACK (cpus_check), page,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (cpus->threads_spin, "value-changed", G_CALLBACK (cpus_check), page,
                           G_CONNECT_SWAPPED);
}

static void
cpus_load (HangarDetailsPage *page,
           xmlDoc            *doc,
           xmlNode           *root)
{
  Cpus *cpus = hangar_details_page_get_data (page);
  HangarDBusHost1 *host = hangar_details_page_get_host (page);
  g_autofree char *vcpu_text = hangar_domain_xml_child_text (root, "vcpu");
  xmlNode *cpu = hangar_domain_xml_child (root, "cpu");
  xmlNode *topology = hangar_domain_xml_child (cpu, "topology");
  g_autofree char *mode = hangar_domain_xml_attr (cpu, "mode");
  g_autofree char *model = hangar_domain_xml_child_text (cpu, "model");
  const char * const *named = host != NULL ? hangar_dbus_host1_get_cpu_models (host) : NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *current_text = hangar_domain_xml_child_attr (root, "vcpu", "current");
  guint vcpus = vcpu_text != NULL ? (guint) g_ascii_strtoull (vcpu_text, NULL, 10) : 1;
  guint online = current_text != NULL ? (guint) g_ascii_strtoull (current_text, NULL, 10) : vcpus;
  guint selected = 1;
  const char *names[] = { "sockets", "cores", "threads" };
  GtkSpinButton *spins[] = { cpus->sockets_spin, cpus->cores_spin, cpus->threads_spin };

  /* A definition made elsewhere may give more than this host has: shown as it is. */
  vcpus = MAX (vcpus, 1);
  online = CLAMP (online, 1, vcpus);
  if (vcpus > gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (cpus->maximum_spin)))
    {
      gtk_spin_button_set_range (cpus->maximum_spin, 1, vcpus);
      gtk_spin_button_set_range (cpus->vcpus_spin, 1, vcpus);
    }
  gtk_spin_button_set_value (cpus->maximum_spin, vcpus);
  gtk_spin_button_set_value (cpus->vcpus_spin, online);

  g_clear_object (&cpus->models);
  cpus->models = gtk_string_list_new ((const char * const[]) { "host-passthrough", "host-model",
                                                               NULL });
  gtk_string_list_append (labels, _("Same as the Host (host-passthrough)"));
  gtk_string_list_append (labels, _("Like the Host (host-model)"));
  for (guint i = 0; named != NULL && named[i] != NULL; i++)
    {
      gtk_string_list_append (cpus->models, named[i]);
      gtk_string_list_append (labels, named[i]);
    }
  if (model == NULL && mode == NULL)
    mode = g_strdup ("host-model");
  if (g_strcmp0 (mode, "host-passthrough") == 0)
    selected = 0;
  else if (g_strcmp0 (mode, "custom") == 0 || (mode == NULL && model != NULL))
    {
      selected = G_MAXUINT;
      for (guint i = 2; named != NULL && named[i - 2] != NULL; i++)
        if (g_strcmp0 (named[i - 2], model) == 0)
          selected = i;
      if (selected == G_MAXUINT && model != NULL)
        {
          /* A model this QEMU does not list: kept, so an unrelated edit keeps it. */
          selected = g_list_model_get_n_items (G_LIST_MODEL (cpus->models));
          gtk_string_list_append (cpus->models, model);
          gtk_string_list_append (labels, model);
        }
    }
  adw_combo_row_set_model (cpus->model_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (cpus->model_row, selected == G_MAXUINT ? 1 : selected);
  cpus->loaded_model = adw_combo_row_get_selected (cpus->model_row);
  cpus->had_cpu = cpu != NULL;

  gtk_switch_set_active (cpus->topology_switch, topology != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *value = hangar_domain_xml_attr (topology, names[i]);
      guint count = value != NULL ? (guint) g_ascii_strtoull (value, NULL, 10) : 0;

      if (topology == NULL)
        count = i == 0 ? vcpus : 1;
      if (count > gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (spins[i])))
        gtk_spin_button_set_range (spins[i], 1, count);
      gtk_spin_button_set_value (spins[i], MAX (count, 1));
    }
  cpus_check (page);
}

static gboolean
cpus_store (HangarDetailsPage  *page,
            xmlDoc             *doc,
            xmlNode            *root,
            GError            **error)
{
  Cpus *cpus = hangar_details_page_get_data (page);
  int maximum = gtk_spin_button_get_value_as_int (cpus->maximum_spin);
  int online = MIN (gtk_spin_button_get_value_as_int (cpus->vcpus_spin), maximum);
  g_autofree char *vcpus = g_strdup_printf ("%d", maximum);
  g_autofree char *current = g_strdup_printf ("%d", online);
  guint selected = adw_combo_row_get_selected (cpus->model_row);
  const char *model = gtk_string_list_get_string (cpus->models, selected);
  xmlNode *cpu;
  xmlNode *topology;

  hangar_domain_xml_set_child_text (root, "vcpu", vcpus);
  /* All online at start unless fewer are asked for. */
  hangar_domain_xml_set_attr (hangar_domain_xml_child (root, "vcpu"), "current",
                              online < maximum ? current : NULL);
  /* No <cpu> was written and none is asked for: the engine's default stays. */
  if (!cpus->had_cpu && selected == cpus->loaded_model &&
      !gtk_switch_get_active (cpus->topology_switch))
    return TRUE;
  cpu = hangar_domain_xml_ensure_child (root, "cpu");
  hangar_domain_xml_remove_children (cpu, "model");
  if (selected >= 2 && model != NULL)
    {
      hangar_domain_xml_set_attr (cpu, "mode", "custom");
      hangar_domain_xml_set_child_text (cpu, "model", model);
    }
  else
    hangar_domain_xml_set_attr (cpu, "mode", selected == 0 ? "host-passthrough" : "host-model");

  hangar_domain_xml_remove_children (cpu, "topology");
  if (gtk_switch_get_active (cpus->topology_switch))
    {
      const char *names[] = { "sockets", "cores", "threads" };
      GtkSpinButton *spins[] = { cpus->sockets_spin, cpus->cores_spin, cpus->threads_spin };

      topology = xmlNewChild (cpu, NULL, (const xmlChar *) "topology", NULL);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *value = g_strdup_printf ("%d",
                                                    gtk_spin_button_get_value_as_int (spins[i]));

          hangar_domain_xml_set_attr (topology, names[i], value);
        }
    }
  return TRUE;
}

const HangarDetailsEditor hangar_details_cpus_editor = {
  .build = cpus_build,
  .load = cpus_load,
  .store = cpus_store,
};

/* ---- Memory ---------------------------------------------------------------------- */

typedef struct
{
  GtkSpinButton *maximum_spin;
  GtkSpinButton *current_spin;
} Memory;

static guint64
host_memory_mib (HangarDetailsPage *page)
{
  HangarDBusHost1 *host = hangar_details_page_get_host (page);
  guint64 kib = host != NULL ? hangar_dbus_host1_get_host_memory_kib (host) : 0;

  return kib > 0 ? kib / KIB_PER_MIB : 1024 * 1024;
}

/* The current size is at most the maximum: the spin's bound follows. */
static void
on_maximum_changed (HangarDetailsPage *page)
{
  Memory *memory = hangar_details_page_get_data (page);
  double maximum = gtk_spin_button_get_value (memory->maximum_spin);

  gtk_spin_button_set_range (memory->current_spin, MIN_MEMORY_MIB, maximum);
}

static void
memory_build (HangarDetailsPage *page)
{
  Memory *memory = g_new0 (Memory, 1);
  guint64 host_mib = host_memory_mib (page);
  g_autofree char *host_text = hangar_format_memory (NULL, host_mib * KIB_PER_MIB);
  /* Translators: %s is an amount such as “16 GiB”. */
  g_autofree char *subtitle = g_strdup_printf (_("In MiB; the host has %s"), host_text);
  AdwPreferencesGroup *group;

  hangar_details_page_set_data (page, memory, g_free);

  group = hangar_details_page_add_group (page, _("Memory"),
                                         _("The guest sees the maximum; while it runs, the "
                                           "balloon can give back what the current size "
                                           "leaves free."));
  memory->maximum_spin = hangar_details_page_add_spin (page, group, _("_Maximum Memory"),
                                                       subtitle, MIN_MEMORY_MIB, host_mib);
  memory->current_spin = hangar_details_page_add_spin (page, group, _("C_urrent Memory"),
                                                       _("In MiB"), MIN_MEMORY_MIB, host_mib);
  gtk_spin_button_set_increments (memory->maximum_spin, 64, 1024);
  gtk_spin_button_set_increments (memory->current_spin, 64, 1024);
  g_signal_connect_object (memory->maximum_spin, "value-changed", G_CALLBACK (on_maximum_changed),
                           page, G_CONNECT_SWAPPED);
}

static void
memory_load (HangarDetailsPage *page,
             xmlDoc            *doc,
             xmlNode           *root)
{
  Memory *memory = hangar_details_page_get_data (page);
  guint64 maximum = hangar_domain_xml_get_memory_kib (root, "memory") / KIB_PER_MIB;
  guint64 current = hangar_domain_xml_get_memory_kib (root, "currentMemory") / KIB_PER_MIB;

  if (current == 0)
    current = maximum;
  if (maximum > gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (memory->maximum_spin)))
    gtk_spin_button_set_range (memory->maximum_spin, MIN_MEMORY_MIB, maximum);
  gtk_spin_button_set_value (memory->maximum_spin, maximum);
  gtk_spin_button_set_range (memory->current_spin, MIN_MEMORY_MIB, MAX (maximum, MIN_MEMORY_MIB));
  gtk_spin_button_set_value (memory->current_spin, current);
}

static gboolean
memory_store (HangarDetailsPage  *page,
              xmlDoc             *doc,
              xmlNode            *root,
              GError            **error)
{
  Memory *memory = hangar_details_page_get_data (page);
  guint64 maximum = (guint64) gtk_spin_button_get_value (memory->maximum_spin) * KIB_PER_MIB;
  guint64 current = (guint64) gtk_spin_button_get_value (memory->current_spin) * KIB_PER_MIB;

  hangar_domain_xml_set_memory_kib (root, "memory", maximum);
  hangar_domain_xml_set_memory_kib (root, "currentMemory", MIN (current, maximum));
  return TRUE;
}

const HangarDetailsEditor hangar_details_memory_editor = {
  .build = memory_build,
  .load = memory_load,
  .store = memory_store,
};
