/* hangar-create-wizard-steps.c: what leaving each of the wizard's pages asks
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Source: the engine identifies the media (libosinfo, on the engine's host) or the
 * install tree. Operating system: its defaults fill the next pages. Each call
 * is tied to step_cancellable, which Back cancels; a refusal stays on its page,
 * said under the rows, and the person can change what was refused.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-create-wizard-private.h"
#include "hangar-format.h"

#define OS_SEARCH_LIMIT 40

/* A fresh cancellable for the page's next call. */
static GCancellable *
step_cancellable (HangarCreateWizard *self)
{
  g_clear_object (&self->step_cancellable);
  self->step_cancellable = g_cancellable_new ();
  return self->step_cancellable;
}

static const char *
lookup_string (GVariant   *dict,
               const char *key)
{
  const char *value = NULL;

  if (dict == NULL || !g_variant_lookup (dict, key, "&s", &value))
    return NULL;
  return value;
}

/* ---- page checks ------------------------------------------------------------- */

gboolean
_hangar_create_wizard_page_complete (HangarCreateWizard *self,
                                     const char         *page)
{
  if (g_strcmp0 (page, "source") == 0)
    {
      switch (_hangar_create_wizard_get_source (self))
        {
        case HANGAR_SOURCE_MEDIA:
          return hangar_create_check_path (_hangar_create_wizard_text (self->media_entry),
                                           "", NULL) == HANGAR_CHECK_OK;
        case HANGAR_SOURCE_URL:
          return hangar_create_check_url (_hangar_create_wizard_text (self->url_entry),
                                          NULL) == HANGAR_CHECK_OK;
        case HANGAR_SOURCE_IMPORT:
          return hangar_create_check_path (_hangar_create_wizard_text (self->import_entry),
                                           "", NULL) == HANGAR_CHECK_OK;
        case HANGAR_SOURCE_KERNEL:
          return hangar_create_check_path (_hangar_create_wizard_text (self->kernel_entry),
                                           "", NULL) == HANGAR_CHECK_OK;
        case HANGAR_SOURCE_PXE:
        default:
          return TRUE;
        }
    }
  if (g_strcmp0 (page, "os") == 0)
    return self->os_id != NULL;
  if (g_strcmp0 (page, "resources") == 0)
    return hangar_create_check_memory (gtk_spin_button_get_value_as_int (self->memory_spin),
                                       hangar_dbus_host1_get_host_memory_kib (self->host),
                                       NULL) != HANGAR_CHECK_ERROR &&
           hangar_create_check_vcpus (gtk_spin_button_get_value_as_int (self->vcpus_spin),
                                      hangar_dbus_host1_get_host_cpus (self->host),
                                      NULL) != HANGAR_CHECK_ERROR;
  if (g_strcmp0 (page, "storage") == 0)
    {
      switch (_hangar_create_wizard_get_disk (self))
        {
        case HANGAR_DISK_NEW:
          return hangar_create_check_disk_size (gtk_spin_button_get_value (self->disk_size_spin),
                                                NULL) == HANGAR_CHECK_OK;
        case HANGAR_DISK_EXISTING:
          return hangar_create_check_path (_hangar_create_wizard_text (self->disk_existing_entry),
                                           "", NULL) == HANGAR_CHECK_OK;
        case HANGAR_DISK_NONE:
        default:
          return TRUE;
        }
    }
  if (g_strcmp0 (page, "summary") == 0)
    return self->name_ok;
  return FALSE;
}

/* ---- source ------------------------------------------------------------------- */

static void
go_on_to_os (HangarCreateWizard *self,
             const char         *os_id,
             const char         *os_name)
{
  if (os_id != NULL && os_id[0] != '\0')
    {
      g_free (self->detected_os_id);
      self->detected_os_id = g_strdup (os_id);
      _hangar_create_wizard_select_os (self, os_id,
                                       os_name != NULL && os_name[0] != '\0' ? os_name : NULL);
    }
  _hangar_create_wizard_show_page (self, "os");
}

static void
source_refused (HangarCreateWizard *self,
                const char         *message)
{
  _hangar_create_wizard_say (self->source_error, HANGAR_CHECK_ERROR, message);
}

static void
on_media_identified (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(HangarCreateWizard) self = user_data;
  g_autoptr(GVariant) media = NULL;
  g_autoptr(GError) error = NULL;
  const char *kind;
  gboolean importing;

  if (!hangar_dbus_host1_call_identify_media_finish (HANGAR_DBUS_HOST1 (source), &media,
                                                     result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = _hangar_create_wizard_remote_message (error);

          _hangar_create_wizard_set_busy (self, FALSE);
          source_refused (self, message);
        }
      return;
    }
  _hangar_create_wizard_set_busy (self, FALSE);

  kind = lookup_string (media, "kind");
  importing = _hangar_create_wizard_get_source (self) == HANGAR_SOURCE_IMPORT;
  if (importing && g_strcmp0 (kind, "disk-image") != 0)
    {
      source_refused (self, _("This is not a disk image. To install from it, choose "
                              "Installation Media."));
      return;
    }
  if (!importing && g_strcmp0 (kind, "disk-image") == 0)
    {
      source_refused (self, _("This is a disk image, not installation media. To use the "
                              "system on it, choose Import a Disk Image."));
      return;
    }
  if (importing)
    {
      /* qcow2, raw, vmdk and vdi run in place; anything else (vhdx) only as a copy. */
      static const char * const in_place[] = { "qcow2", "raw", "vmdk", "vdi", NULL };
      const char *format = lookup_string (media, "format");
      gboolean runs = format != NULL && g_strv_contains (in_place, format);

      if (!runs)
        gtk_switch_set_active (self->convert_switch, TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->convert_switch), runs);
    }
  go_on_to_os (self, lookup_string (media, "os-id"), lookup_string (media, "os-name"));
}

static void
on_tree_identified (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HangarCreateWizard) self = user_data;
  g_autoptr(GVariant) tree = NULL;
  g_autoptr(GError) error = NULL;

  if (!hangar_dbus_host1_call_identify_tree_finish (HANGAR_DBUS_HOST1 (source), &tree,
                                                    result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = _hangar_create_wizard_remote_message (error);

          _hangar_create_wizard_set_busy (self, FALSE);
          source_refused (self, message);
        }
      return;
    }
  _hangar_create_wizard_set_busy (self, FALSE);
  g_free (self->kernel_url);
  self->kernel_url = g_strdup (lookup_string (tree, "kernel"));
  go_on_to_os (self, lookup_string (tree, "os-id"), lookup_string (tree, "os-name"));
}

void
_hangar_create_wizard_leave_source (HangarCreateWizard *self)
{
  const char *path = NULL;

  switch (_hangar_create_wizard_get_source (self))
    {
    case HANGAR_SOURCE_MEDIA:
      path = _hangar_create_wizard_text (self->media_entry);
      break;
    case HANGAR_SOURCE_IMPORT:
      path = _hangar_create_wizard_text (self->import_entry);
      break;
    case HANGAR_SOURCE_URL:
      _hangar_create_wizard_set_busy (self, TRUE);
      hangar_dbus_host1_call_identify_tree (self->host,
                                            _hangar_create_wizard_text (self->url_entry),
                                            step_cancellable (self), on_tree_identified,
                                            g_object_ref (self));
      return;
    case HANGAR_SOURCE_PXE:
    case HANGAR_SOURCE_KERNEL:
    default:
      go_on_to_os (self, NULL, NULL);
      return;
    }

  _hangar_create_wizard_set_busy (self, TRUE);
  hangar_dbus_host1_call_identify_media (self->host, path, step_cancellable (self),
                                         on_media_identified, g_object_ref (self));
}

/* ---- operating system ------------------------------------------------------------- */

void
_hangar_create_wizard_select_os (HangarCreateWizard *self,
                                 const char         *os_id,
                                 const char         *os_name)
{
  gboolean generic = g_strcmp0 (os_id, "generic") == 0;

  g_free (self->os_id);
  self->os_id = g_strdup (os_id);
  g_free (self->os_name);
  self->os_name = g_strdup (os_name != NULL ? os_name
                            : generic ? _("Generic operating system") : os_id);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->os_row), self->os_name);
  if (self->detected_os_id != NULL && g_strcmp0 (self->detected_os_id, os_id) == 0)
    adw_action_row_set_subtitle (self->os_row, generic ? _("Not recognised: change it if "
                                                           "you know what it is")
                                                       : _("Detected from the media"));
  else
    adw_action_row_set_subtitle (self->os_row, generic ? _("Safe defaults for any system")
                                                       : _("Chosen from the list"));
  _hangar_create_wizard_update (self);
}

static GtkWidget *
os_row_new (const char *os_id,
            const char *name,
            const char *detail)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (detail != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), detail);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "os-id", g_strdup (os_id), g_free);
  g_object_set_data_full (G_OBJECT (row), "os-name", g_strdup (name), g_free);
  return row;
}

static void
on_os_searched (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HangarCreateWizard) self = user_data;
  g_autoptr(GVariant) systems = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  GVariantIter iter;
  const char *id, *short_id, *name;

  if (!hangar_dbus_host1_call_search_operating_systems_finish (HANGAR_DBUS_HOST1 (source),
                                                               &systems, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = _hangar_create_wizard_remote_message (error);

          g_debug ("Searching operating systems: %s", message);
        }
      return;
    }

  /* Only the answer to the latest search counts. */
  if (g_strcmp0 (g_object_get_data (G_OBJECT (self), "os-query"),
                 gtk_editable_get_text (GTK_EDITABLE (self->os_search))) != 0)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->os_list))) != NULL)
    gtk_list_box_remove (self->os_list, child);

  gtk_list_box_append (self->os_list,
                       os_row_new ("generic", _("Generic operating system"),
                                   _("Safe defaults for any system")));
  g_variant_iter_init (&iter, systems);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &id, &short_id, &name))
    gtk_list_box_append (self->os_list, os_row_new (id, name, short_id));
  gtk_widget_set_visible (GTK_WIDGET (self->os_list), TRUE);
}

void
_hangar_create_wizard_search_os (HangarCreateWizard *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->os_search));

  g_object_set_data_full (G_OBJECT (self), "os-query", g_strdup (query), g_free);
  hangar_dbus_host1_call_search_operating_systems (self->host, query, OS_SEARCH_LIMIT,
                                                   self->cancellable, on_os_searched,
                                                   g_object_ref (self));
}

static void
apply_defaults (HangarCreateWizard *self)
{
  guint64 memory_kib = 0, disk_bytes = 0;
  guint32 vcpus = 0;
  const char *name = lookup_string (self->defaults, "name");
  const char *firmware = lookup_string (self->defaults, "firmware");
  const char * const *firmwares = hangar_dbus_host1_get_firmwares (self->host);
  guint host_cpus = hangar_dbus_host1_get_host_cpus (self->host);

  if (g_variant_lookup (self->defaults, "memory-kib", "t", &memory_kib) && memory_kib > 0)
    gtk_spin_button_set_value (self->memory_spin, memory_kib / 1024);
  if (g_variant_lookup (self->defaults, "vcpus", "u", &vcpus) && vcpus > 0)
    gtk_spin_button_set_value (self->vcpus_spin, host_cpus > 0 ? MIN (vcpus, host_cpus) : vcpus);
  if (g_variant_lookup (self->defaults, "disk-bytes", "t", &disk_bytes) && disk_bytes > 0)
    gtk_spin_button_set_value (self->disk_size_spin, disk_bytes / (double) (1 << 30));
  if (name != NULL && !self->name_edited)
    gtk_editable_set_text (self->name_entry, name);
  for (guint i = 0; firmware != NULL && firmwares != NULL && firmwares[i] != NULL; i++)
    if (g_str_equal (firmwares[i], firmware))
      adw_combo_row_set_selected (self->firmware_row, i);
}

static void
on_defaults (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HangarCreateWizard) self = user_data;
  g_autoptr(GVariant) defaults = NULL;
  g_autoptr(GError) error = NULL;

  if (!hangar_dbus_host1_call_get_os_defaults_finish (HANGAR_DBUS_HOST1 (source), &defaults,
                                                      result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = _hangar_create_wizard_remote_message (error);
          AdwToast *toast = adw_toast_new (message);

          _hangar_create_wizard_set_busy (self, FALSE);
          adw_toast_set_timeout (toast, 0);
          adw_toast_overlay_add_toast (self->toast_overlay, toast);
        }
      return;
    }
  _hangar_create_wizard_set_busy (self, FALSE);
  g_clear_pointer (&self->defaults, g_variant_unref);
  self->defaults = g_steal_pointer (&defaults);
  g_free (self->defaults_os_id);
  self->defaults_os_id = g_strdup (self->os_id);
  apply_defaults (self);
  _hangar_create_wizard_show_page (self, "resources");
}

void
_hangar_create_wizard_leave_os (HangarCreateWizard *self)
{
  /* The same OS again: keep what the person changed on the later pages. */
  if (g_strcmp0 (self->defaults_os_id, self->os_id) == 0)
    {
      _hangar_create_wizard_show_page (self, "resources");
      return;
    }
  _hangar_create_wizard_set_busy (self, TRUE);
  hangar_dbus_host1_call_get_os_defaults (self->host, self->os_id, step_cancellable (self),
                                          on_defaults, g_object_ref (self));
}

/* ---- resources, storage -------------------------------------------------------------- */

void
_hangar_create_wizard_check_resources (HangarCreateWizard *self)
{
  g_autofree char *memory_message = NULL;
  g_autofree char *vcpus_message = NULL;
  HangarCheckLevel memory, vcpus;

  memory = hangar_create_check_memory (gtk_spin_button_get_value_as_int (self->memory_spin),
                                       hangar_dbus_host1_get_host_memory_kib (self->host),
                                       &memory_message);
  vcpus = hangar_create_check_vcpus (gtk_spin_button_get_value_as_int (self->vcpus_spin),
                                     hangar_dbus_host1_get_host_cpus (self->host),
                                     &vcpus_message);
  if (vcpus == HANGAR_CHECK_ERROR || (vcpus != HANGAR_CHECK_OK && memory == HANGAR_CHECK_OK))
    _hangar_create_wizard_say (self->resources_note, vcpus, vcpus_message);
  else
    _hangar_create_wizard_say (self->resources_note, memory, memory_message);
}

void
_hangar_create_wizard_check_storage (HangarCreateWizard *self)
{
  g_autofree char *message = NULL;
  HangarCheckLevel level = HANGAR_CHECK_OK;

  switch (_hangar_create_wizard_get_disk (self))
    {
    case HANGAR_DISK_NEW:
      level = hangar_create_check_disk_size (gtk_spin_button_get_value (self->disk_size_spin),
                                             &message);
      break;
    case HANGAR_DISK_EXISTING:
      level = hangar_create_check_path (_hangar_create_wizard_text (self->disk_existing_entry),
                                        _("The image"), &message);
      /* Nothing typed yet is not worth a red line. */
      if (_hangar_create_wizard_text (self->disk_existing_entry)[0] == '\0')
        g_clear_pointer (&message, g_free);
      break;
    case HANGAR_DISK_NONE:
    default:
      level = HANGAR_CHECK_WARNING;
      message = g_strdup (_("Without a disk, the machine keeps nothing: only its install "
                            "media or the network can boot it."));
      break;
    }
  _hangar_create_wizard_say (self->storage_note, level, message);
}

/* ---- name and summary ------------------------------------------------------------------ */

typedef struct
{
  HangarCreateWizard *self;
  guint               serial;
} NameCheck;

static void
on_name_checked (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  NameCheck *check = user_data;
  g_autoptr(HangarCreateWizard) self = check->self;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = hangar_dbus_host1_call_check_machine_name_finish (HANGAR_DBUS_HOST1 (source), result,
                                                         &error);
  if (check->serial != self->name_check_serial ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (check);
      return;
    }
  g_free (check);

  self->name_ok = ok;
  if (ok)
    _hangar_create_wizard_say (self->name_error, HANGAR_CHECK_OK, NULL);
  else
    {
      g_autofree char *message = _hangar_create_wizard_remote_message (error);

      _hangar_create_wizard_say (self->name_error, HANGAR_CHECK_ERROR, message);
    }
  _hangar_create_wizard_update (self);
}

void
_hangar_create_wizard_check_name (HangarCreateWizard *self)
{
  const char *name = _hangar_create_wizard_text (self->name_entry);
  NameCheck *check = g_new0 (NameCheck, 1);

  /* Until the engine answers, the name is not known to be good. */
  self->name_ok = FALSE;
  self->name_check_serial++;
  _hangar_create_wizard_update (self);

  check->self = g_object_ref (self);
  check->serial = self->name_check_serial;
  hangar_dbus_host1_call_check_machine_name (self->host, name, self->cancellable,
                                             on_name_checked, check);
}

static char *
source_summary (HangarCreateWizard *self)
{
  switch (_hangar_create_wizard_get_source (self))
    {
    case HANGAR_SOURCE_MEDIA:
      return g_strdup (_hangar_create_wizard_text (self->media_entry));
    case HANGAR_SOURCE_URL:
      return g_strdup (_hangar_create_wizard_text (self->url_entry));
    case HANGAR_SOURCE_PXE:
      return g_strdup (_("The network (PXE)"));
    case HANGAR_SOURCE_IMPORT:
      if (gtk_switch_get_active (self->convert_switch))
        /* Translators: %s is a disk image's path */
        return g_strdup_printf (_("A qcow2 copy of %s"),
                                _hangar_create_wizard_text (self->import_entry));
      return g_strdup (_hangar_create_wizard_text (self->import_entry));
    case HANGAR_SOURCE_KERNEL:
    default:
      return g_strdup (_hangar_create_wizard_text (self->kernel_entry));
    }
}

static char *
disk_summary (HangarCreateWizard *self)
{
  if (_hangar_create_wizard_get_source (self) == HANGAR_SOURCE_IMPORT)
    return g_strdup (_("The imported image"));

  switch (_hangar_create_wizard_get_disk (self))
    {
    case HANGAR_DISK_NEW:
      {
        guint64 kib = gtk_spin_button_get_value (self->disk_size_spin) * (1 << 20);
        g_autofree char *size = hangar_format_memory (NULL, kib);

        /* Translators: "New 20.0 GiB image in /home/me/.local/share/hangar/images" */
        return g_strdup_printf (_("New %s image in %s"), size,
                                hangar_dbus_host1_get_default_image_folder (self->host));
      }
    case HANGAR_DISK_EXISTING:
      return g_strdup (_hangar_create_wizard_text (self->disk_existing_entry));
    case HANGAR_DISK_NONE:
    default:
      return g_strdup (_("None"));
    }
}

void
_hangar_create_wizard_fill_summary (HangarCreateWizard *self)
{
  g_autofree char *source = source_summary (self);
  g_autofree char *disk = disk_summary (self);
  g_autofree char *resources = hangar_format_resources (NULL,
                                                        gtk_spin_button_get_value_as_int (self->vcpus_spin),
                                                        (guint64) gtk_spin_button_get_value_as_int (self->memory_spin) * 1024);

  adw_action_row_set_subtitle (self->summary_os_row, self->os_name);
  adw_action_row_set_subtitle (self->summary_source_row, source);
  adw_action_row_set_subtitle (self->summary_resources_row, resources);
  adw_action_row_set_subtitle (self->summary_disk_row, disk);
  _hangar_create_wizard_check_name (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}
