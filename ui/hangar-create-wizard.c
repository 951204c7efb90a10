/* hangar-create-wizard.c: the create-VM wizard
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Five pages in a GtkStack: where the OS comes from, which OS it is, memory and
 * processors, storage, and a summary with the name. Forward (or Enter) asks the
 * engine what it must know to go on (hangar-create-wizard-steps.c); a refusal is
 * said on the page, under what was refused. The last page's Create makes the image
 * as an engine job with a progress bar, then the machine, starts it and hands it to
 * the main window (hangar-create-wizard-finish.c).
 *
 * The engine does the work and checks everything again; the wizard's own checks
 * (hangar-create-checks.c) are there to say it as the person types.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-connection.h"
#include "hangar-create-wizard-private.h"
#include "hangar-remote-file-chooser.h"
#include "hangar-ssh-transport.h"
#include "hangar-format.h"

G_DEFINE_FINAL_TYPE (HangarCreateWizard, hangar_create_wizard, ADW_TYPE_WINDOW)

static const char * const page_order[] = {
  "source", "os", "resources", "storage", "summary",
};

/* ---- small helpers the siblings share -------------------------------------- */

const char *
_hangar_create_wizard_text (GtkEditable *editable)
{
  return gtk_editable_get_text (editable);
}

/* The engine's words, without the D-Bus error name GDBus puts before them. */
char *
_hangar_create_wizard_remote_message (const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);

  g_dbus_error_strip_remote_error (copy);
  return g_strdup (copy->message);
}

/* Shows @message under a page's rows, as an error or a warning; hides it for OK. */
void
_hangar_create_wizard_say (GtkLabel         *label,
                           HangarCheckLevel  level,
                           const char       *message)
{
  gtk_widget_set_visible (GTK_WIDGET (label), level != HANGAR_CHECK_OK && message != NULL);
  gtk_label_set_text (label, message != NULL ? message : "");
  if (level == HANGAR_CHECK_ERROR)
    {
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "warning");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (label), "warning");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
    }
}

HangarSourceKind
_hangar_create_wizard_get_source (HangarCreateWizard *self)
{
  if (gtk_check_button_get_active (self->source_url_check))
    return HANGAR_SOURCE_URL;
  if (gtk_check_button_get_active (self->source_pxe_check))
    return HANGAR_SOURCE_PXE;
  if (gtk_check_button_get_active (self->source_import_check))
    return HANGAR_SOURCE_IMPORT;
  if (gtk_check_button_get_active (self->source_kernel_check))
    return HANGAR_SOURCE_KERNEL;
  return HANGAR_SOURCE_MEDIA;
}

HangarDiskKind
_hangar_create_wizard_get_disk (HangarCreateWizard *self)
{
  if (gtk_check_button_get_active (self->disk_existing_check))
    return HANGAR_DISK_EXISTING;
  if (gtk_check_button_get_active (self->disk_none_check))
    return HANGAR_DISK_NONE;
  return HANGAR_DISK_NEW;
}

/* The firmware row's choice, as the engine names it. */
const char *
_hangar_create_wizard_firmware (HangarCreateWizard *self)
{
  GListModel *model = adw_combo_row_get_model (self->firmware_row);
  guint selected = adw_combo_row_get_selected (self->firmware_row);
  g_autoptr(GtkStringObject) item = NULL;
  const char * const *firmwares = hangar_dbus_host1_get_firmwares (self->host);

  if (model == NULL || selected == GTK_INVALID_LIST_POSITION || firmwares == NULL ||
      selected >= g_strv_length ((char **) firmwares))
    return "bios";
  return firmwares[selected];
}

void
_hangar_create_wizard_set_busy (HangarCreateWizard *self,
                                gboolean            busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), busy);
  gtk_spinner_set_spinning (self->busy_spinner, busy);
  _hangar_create_wizard_update (self);
}

void
_hangar_create_wizard_show_page (HangarCreateWizard *self,
                                 const char         *page)
{
  gtk_stack_set_visible_child_name (self->pages, page);
}

static int
page_index (const char *page)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_order); i++)
    if (g_strcmp0 (page, page_order[i]) == 0)
      return i;
  return -1;
}

/* Enables Back and Forward, and says which step this is. */
void
_hangar_create_wizard_update (HangarCreateWizard *self)
{
  const char *page;
  int index;
  gboolean working;
  GtkStackPage *stack_page;
  g_autofree char *step = NULL;

  if (self->pages == NULL)
    return;
  page = gtk_stack_get_visible_child_name (self->pages);
  index = page_index (page);
  working = g_strcmp0 (page, "progress") == 0;
  stack_page = gtk_stack_get_page (self->pages, gtk_stack_get_visible_child (self->pages));

  gtk_widget_set_visible (self->cancel_button, index <= 0 && !working);
  gtk_widget_set_visible (self->back_button, index > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->forward_button), !working);
  gtk_button_set_label (self->forward_button,
                        g_strcmp0 (page, "summary") == 0 ? _("_Create") : _("_Forward"));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", index > 0 && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.forward",
                                 !working && !self->busy &&
                                 _hangar_create_wizard_page_complete (self, page));

  adw_window_title_set_title (self->window_title, gtk_stack_page_get_title (stack_page));
  if (index >= 0)
    /* Translators: the wizard's subtitle, e.g. "Step 2 of 5" */
    step = g_strdup_printf (_("Step %d of %d"), index + 1, (int) G_N_ELEMENTS (page_order));
  adw_window_title_set_subtitle (self->window_title, step != NULL ? step : "");
}

/* ---- template callbacks ------------------------------------------------------- */

static void
on_page_changed (HangarCreateWizard *self)
{
  const char *page;

  /* The stack changes pages as it is taken apart too. */
  if (self->pages == NULL || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  page = gtk_stack_get_visible_child_name (self->pages);

  if (g_strcmp0 (page, "resources") == 0)
    _hangar_create_wizard_check_resources (self);
  else if (g_strcmp0 (page, "storage") == 0)
    _hangar_create_wizard_check_storage (self);
  else if (g_strcmp0 (page, "summary") == 0)
    _hangar_create_wizard_fill_summary (self);
  _hangar_create_wizard_update (self);
}

static void
on_source_toggled (HangarCreateWizard *self)
{
  HangarSourceKind kind = _hangar_create_wizard_get_source (self);

  gtk_widget_set_visible (self->media_group, kind == HANGAR_SOURCE_MEDIA);
  gtk_widget_set_visible (self->url_group, kind == HANGAR_SOURCE_URL);
  gtk_widget_set_visible (self->import_group, kind == HANGAR_SOURCE_IMPORT);
  gtk_widget_set_visible (self->kernel_group, kind == HANGAR_SOURCE_KERNEL);
  _hangar_create_wizard_say (self->source_error, HANGAR_CHECK_OK, NULL);
  g_clear_pointer (&self->detected_os_id, g_free);
  _hangar_create_wizard_update (self);
}

static void
on_source_changed (HangarCreateWizard *self)
{
  _hangar_create_wizard_say (self->source_error, HANGAR_CHECK_OK, NULL);
  g_clear_pointer (&self->detected_os_id, g_free);
  _hangar_create_wizard_update (self);
}

static void
on_entry_activated (HangarCreateWizard *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.forward", NULL);
}

/* Spin buttons have no activate signal in GTK 4.8; their text does. Enter there goes
 * forward as it does in an entry, once the typed value is the spin button's. */
static void
on_spin_text_activated (GtkText            *text,
                        HangarCreateWizard *self)
{
  GtkWidget *spin = gtk_widget_get_ancestor (GTK_WIDGET (text), GTK_TYPE_SPIN_BUTTON);

  gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.forward", NULL);
}

static void
forward_on_enter (HangarCreateWizard *self,
                  GtkSpinButton      *spin)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (spin)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TEXT (child))
      g_signal_connect_object (child, "activate", G_CALLBACK (on_spin_text_activated), self,
                               G_CONNECT_AFTER);
}

/* The host's CD/DVD drives, offered under the media entry: a row fills it in. */
static void
on_drive_row_activated (AdwActionRow       *row,
                        HangarCreateWizard *self)
{
  gtk_editable_set_text (self->media_entry, adw_action_row_get_subtitle (row));
}

static void
on_optical_drives (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HangarCreateWizard) self = user_data;
  g_auto(GStrv) drives = NULL;
  g_autoptr(GError) error = NULL;

  /* An engine that cannot say offers none; the entry still takes a device's path. */
  if (!hangar_dbus_host1_call_list_optical_drives_finish (HANGAR_DBUS_HOST1 (source), &drives,
                                                          result, &error))
    {
      g_debug ("No CD/DVD drives listed: %s", error->message);
      return;
    }
  for (guint i = 0; drives[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *name = g_strdup_printf ("drive_row_%u", i);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("CD/DVD Drive"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), drives[i]);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("media-optical-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_name (row, name);
      g_signal_connect_object (row, "activated", G_CALLBACK (on_drive_row_activated), self, 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->media_group), row);
    }
}

static void
on_os_search_changed (HangarCreateWizard *self)
{
  _hangar_create_wizard_search_os (self);
}

static void
on_os_row_activated (HangarCreateWizard *self,
                     GtkListBoxRow      *row)
{
  _hangar_create_wizard_select_os (self,
                                   g_object_get_data (G_OBJECT (row), "os-id"),
                                   g_object_get_data (G_OBJECT (row), "os-name"));
}

static void
on_resources_changed (HangarCreateWizard *self)
{
  _hangar_create_wizard_check_resources (self);
  _hangar_create_wizard_update (self);
}

static void
on_storage_toggled (HangarCreateWizard *self)
{
  HangarDiskKind kind = _hangar_create_wizard_get_disk (self);

  gtk_widget_set_visible (self->disk_new_group, kind == HANGAR_DISK_NEW);
  gtk_widget_set_visible (self->disk_existing_group, kind == HANGAR_DISK_EXISTING);
  _hangar_create_wizard_check_storage (self);
  _hangar_create_wizard_update (self);
}

static void
on_storage_changed (HangarCreateWizard *self)
{
  _hangar_create_wizard_check_storage (self);
  _hangar_create_wizard_update (self);
}

static void
on_name_changed (HangarCreateWizard *self)
{
  if (gtk_widget_has_focus (GTK_WIDGET (self->name_entry)) ||
      gtk_widget_is_focus (GTK_WIDGET (self->name_entry)))
    self->name_edited = TRUE;
  _hangar_create_wizard_check_name (self);
}

/* ---- actions -------------------------------------------------------------------- */

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HangarCreateWizard *self = HANGAR_CREATE_WIZARD (widget);
  const char *page = gtk_stack_get_visible_child_name (self->pages);

  if (self->busy || !_hangar_create_wizard_page_complete (self, page))
    return;

  if (g_str_equal (page, "source"))
    _hangar_create_wizard_leave_source (self);
  else if (g_str_equal (page, "os"))
    _hangar_create_wizard_leave_os (self);
  else if (g_str_equal (page, "resources"))
    _hangar_create_wizard_show_page (self,
                                     _hangar_create_wizard_get_source (self) == HANGAR_SOURCE_IMPORT
                                     ? "summary" : "storage");
  else if (g_str_equal (page, "storage"))
    _hangar_create_wizard_show_page (self, "summary");
  else if (g_str_equal (page, "summary"))
    _hangar_create_wizard_finish (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HangarCreateWizard *self = HANGAR_CREATE_WIZARD (widget);
  const char *page = gtk_stack_get_visible_child_name (self->pages);
  int index = page_index (page);

  if (index <= 0)
    return;
  g_cancellable_cancel (self->step_cancellable);
  if (g_str_equal (page, "summary") &&
      _hangar_create_wizard_get_source (self) == HANGAR_SOURCE_IMPORT)
    index--;                          /* an imported image is the storage */
  _hangar_create_wizard_show_page (self, page_order[index - 1]);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HangarCreateWizard *self = HANGAR_CREATE_WIZARD (widget);

  /* While the image is being made, Escape stops that first (it removes the file). */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "progress") == 0)
    {
      _hangar_create_wizard_cancel_job (self);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
cancel_job_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  _hangar_create_wizard_cancel_job (HANGAR_CREATE_WIZARD (widget));
}

static GtkEditable *
file_entry (HangarCreateWizard *self,
            const char         *which)
{
  if (g_str_equal (which, "media"))
    return self->media_entry;
  if (g_str_equal (which, "import"))
    return self->import_entry;
  if (g_str_equal (which, "kernel"))
    return self->kernel_entry;
  if (g_str_equal (which, "initrd"))
    return self->initrd_entry;
  return self->disk_existing_entry;
}

static void
on_file_chosen (GtkNativeDialog *dialog,
                int              response,
                gpointer         user_data)
{
  HangarCreateWizard *self = HANGAR_CREATE_WIZARD (user_data);
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gtk_editable_set_text (entry, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
on_remote_file_chosen (HangarRemoteFileChooser *chooser,
                       const char              *path,
                       GtkEditable             *entry)
{
  gtk_editable_set_text (entry, path);
}

/* The files are on the engine's host: this computer's chooser for the local engine,
 * a list through the engine for a remote one. */
static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HangarCreateWizard *self = HANGAR_CREATE_WIZARD (widget);
  const char *which = g_variant_get_string (parameter, NULL);
  GtkEditable *entry = file_entry (self, which);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  const char *current = gtk_editable_get_text (entry);

  if (hangar_ssh_transport_for_proxy (G_DBUS_PROXY (self->host)) != NULL)
    {
      static const char * const media[] = { "iso", NULL };
      static const char * const images[] = { "qcow2", "img", "raw", "vmdk", "vdi", "vhdx", NULL };
      HangarRemoteFileChooser *chooser =
        hangar_remote_file_chooser_new (GTK_WINDOW (self), self->host, _("Choose a File"),
                                        g_str_equal (which, "media") ? media
                                        : g_str_equal (which, "import") ||
                                          g_str_equal (which, "disk") ? images : NULL);

      g_signal_connect_object (chooser, "chosen", G_CALLBACK (on_remote_file_chosen), entry, 0);
      hangar_remote_file_chooser_open (chooser, current);
      return;
    }

  dialog = gtk_file_chooser_native_new (_("Choose a File"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  if (g_str_equal (which, "media"))
    {
      gtk_file_filter_set_name (filter, _("ISO Images"));
      gtk_file_filter_add_suffix (filter, "iso");
      gtk_file_filter_add_mime_type (filter, "application/x-cd-image");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
    }
  else if (g_str_equal (which, "import") || g_str_equal (which, "disk"))
    {
      static const char * const suffixes[] = { "qcow2", "img", "raw", "vmdk", "vdi", "vhdx" };

      gtk_file_filter_set_name (filter, _("Disk Images"));
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        gtk_file_filter_add_suffix (filter, suffixes[i]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
    }
  if (current[0] == '/')
    {
      g_autoptr(GFile) file = g_file_new_for_path (current);

      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), file, NULL);
    }

  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (dialog, "response", G_CALLBACK (on_file_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- object ------------------------------------------------------------------------ */

static void
hangar_create_wizard_dispose (GObject *object)
{
  HangarCreateWizard *self = HANGAR_CREATE_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->step_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HANGAR_TYPE_CREATE_WIZARD);
  g_clear_object (&self->job);
  g_clear_object (&self->host);
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->step_cancellable);

  G_OBJECT_CLASS (hangar_create_wizard_parent_class)->dispose (object);
}

static void
hangar_create_wizard_finalize (GObject *object)
{
  HangarCreateWizard *self = HANGAR_CREATE_WIZARD (object);
  /* A reply the engine sends after the wizard closed may hold the last reference
   * to it; GtkWindow's finalize still looks at the transient parent, which must
   * not have gone first. */
  g_autoptr(GtkWindow) parent = g_steal_pointer (&self->parent);

  g_clear_pointer (&self->os_id, g_free);
  g_clear_pointer (&self->os_name, g_free);
  g_clear_pointer (&self->detected_os_id, g_free);
  g_clear_pointer (&self->defaults, g_variant_unref);
  g_clear_pointer (&self->defaults_os_id, g_free);
  g_clear_pointer (&self->kernel_url, g_free);
  g_clear_pointer (&self->image_path, g_free);

  G_OBJECT_CLASS (hangar_create_wizard_parent_class)->finalize (object);
}

static void
hangar_create_wizard_class_init (HangarCreateWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hangar_create_wizard_dispose;
  object_class->finalize = hangar_create_wizard_finalize;

  /**
   * HangarCreateWizard::machine-created:
   * @machine: the new machine's object path
   * @started: FALSE when the person asked to customize it before the first start,
   *   or when it did not start
   * @error: (nullable): why it did not start
   */
  g_signal_new ("machine-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               HANGAR_RESOURCE_PATH "/ui/hangar-create-wizard.ui");

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, HangarCreateWizard, name)
  BIND (toast_overlay);
  BIND (window_title);
  BIND (cancel_button);
  BIND (back_button);
  BIND (forward_button);
  BIND (busy_spinner);
  BIND (pages);
  BIND (source_media_check);
  BIND (source_url_check);
  BIND (source_pxe_check);
  BIND (source_import_check);
  BIND (source_kernel_check);
  BIND (media_group);
  BIND (url_group);
  BIND (import_group);
  BIND (kernel_group);
  BIND (media_entry);
  BIND (url_entry);
  BIND (url_args_entry);
  BIND (import_entry);
  BIND (convert_switch);
  BIND (kernel_entry);
  BIND (initrd_entry);
  BIND (cmdline_entry);
  BIND (source_error);
  BIND (os_row);
  BIND (os_search);
  BIND (os_list);
  BIND (resources_group);
  BIND (memory_spin);
  BIND (vcpus_spin);
  BIND (resources_note);
  BIND (disk_new_check);
  BIND (disk_existing_check);
  BIND (disk_none_check);
  BIND (disk_new_group);
  BIND (disk_existing_group);
  BIND (disk_size_spin);
  BIND (preallocation_row);
  BIND (disk_existing_entry);
  BIND (storage_note);
  BIND (name_entry);
  BIND (name_error);
  BIND (summary_os_row);
  BIND (summary_source_row);
  BIND (summary_resources_row);
  BIND (summary_disk_row);
  BIND (firmware_row);
  BIND (network_row);
  BIND (customize_switch);
  BIND (progress_page);
  BIND (progress_bar);
  BIND (progress_cancel_button);
#undef BIND

  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_source_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_source_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_os_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_os_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_resources_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_storage_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_storage_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);

  gtk_widget_class_install_action (widget_class, "wizard.forward", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "wizard.cancel-job", NULL, cancel_job_action);
  gtk_widget_class_install_action (widget_class, "wizard.choose-file", "s", choose_file_action);
}

static void
hangar_create_wizard_init (HangarCreateWizard *self)
{
  self->cancellable = g_cancellable_new ();
  self->step_cancellable = g_cancellable_new ();
  self->os_id = g_strdup ("generic");
  self->os_name = g_strdup (_("Generic operating system"));

  gtk_widget_init_template (GTK_WIDGET (self));
  forward_on_enter (self, self->memory_spin);
  forward_on_enter (self, self->vcpus_spin);
  forward_on_enter (self, self->disk_size_spin);
}

/**
 * hangar_create_wizard_new:
 * @parent: the main window
 * @connection: a connected engine
 *
 * Returns: (transfer floating): a wizard, not shown yet
 */
HangarCreateWizard *
hangar_create_wizard_new (GtkWindow        *parent,
                          HangarConnection *connection)
{
  HangarCreateWizard *self;
  g_autoptr(GtkStringList) firmwares = gtk_string_list_new (NULL);
  const char * const *names;

  g_return_val_if_fail (HANGAR_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (hangar_connection_get_host (connection) != NULL, NULL);

  self = g_object_new (HANGAR_TYPE_CREATE_WIZARD, "transient-for", parent, NULL);
  self->parent = parent != NULL ? g_object_ref (parent) : NULL;
  self->connection = g_object_ref (connection);
  self->host = g_object_ref (hangar_connection_get_host (connection));

  names = hangar_dbus_host1_get_firmwares (self->host);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], "bios"))
        gtk_string_list_append (firmwares, _("BIOS"));
      else if (g_str_equal (names[i], "uefi"))
        gtk_string_list_append (firmwares, _("UEFI"));
      else if (g_str_equal (names[i], "uefi-secure"))
        gtk_string_list_append (firmwares, _("UEFI with Secure Boot"));
      else
        gtk_string_list_append (firmwares, names[i]);
    }
  adw_combo_row_set_model (self->firmware_row, G_LIST_MODEL (firmwares));

  {
    guint cpus = hangar_dbus_host1_get_host_cpus (self->host);
    g_autofree char *memory = hangar_format_memory (NULL,
                                                    hangar_dbus_host1_get_host_memory_kib (self->host));
    g_autofree char *host = g_strdup_printf (ngettext ("This host has %s of memory and %u processor",
                                                       "This host has %s of memory and %u processors",
                                                       cpus),
                                             memory, cpus);

    adw_preferences_group_set_description (self->resources_group, host);
  }

  hangar_dbus_host1_call_list_optical_drives (self->host, self->cancellable, on_optical_drives,
                                              g_object_ref (self));

  _hangar_create_wizard_select_os (self, "generic", NULL);
  _hangar_create_wizard_search_os (self);
  _hangar_create_wizard_update (self);
  return self;
}
